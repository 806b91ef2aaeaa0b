export interface Config {
  /** Settings of the health backend plugin. */
  health?: {
    alertmanager: {
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
  };
}
