export interface Config {
  /**
   * Settings of the health backend plugin. Without `alertmanager` and
   * `prometheus` (the embedded default) it serves demo alerts, incidents and
   * uptime, marked as demo, and calls nothing; configure both or neither.
   */
  health?: {
    alertmanager?: {
      /** Alertmanager's base URL, e.g. http://alertmanager:9093 (called from the backend only). */
      baseUrl: string;
      /**
       * The bearer token Alertmanager's webhook receiver sends to
       * `POST /api/health/v1/alertmanager/webhook` (its
       * `http_config.authorization.credentials`); at least 24 characters.
       * Without it the webhook answers 404.
       * @visibility secret
       */
      webhookToken?: string;
    };
    prometheus?: {
      /** Prometheus's base URL, e.g. http://prometheus:9090 (called from the backend only). */
      baseUrl?: string;
      /**
       * The uptime query, one for the whole estate, run once per window
       * with `$window` replaced by `7d` or `30d`; an instant vector of
       * uptime 0..1 by `uptimeLabel`. Default:
       * `avg by (service) (avg_over_time(up{job="services"}[$window]))`.
       */
      uptimeQuery?: string;
      /** The label the query's series are keyed by, matched with the entity's alert selector. Default: service. */
      uptimeLabel?: string;
      /** How long the uptime of the estate is cached (cache service), seconds. Default: 300. */
      cacheTtlSeconds?: number;
    };
  };
}
