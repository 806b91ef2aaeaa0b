import { Config } from '@backstage/config';

/** The default uptime query: the share of successful scrapes per service. */
export const DEFAULT_UPTIME_QUERY =
  'avg by (service) (avg_over_time(up{job="services"}[$window]))';

/** The health plugin's configuration (`health`, see config.d.ts). */
export type HealthConfig =
  | {
      mode: 'monitoring';
      alertmanager: { baseUrl: string };
      prometheus: {
        baseUrl: string;
        /** `$window` is replaced by the window (`7d`, `30d`). */
        uptimeQuery: string;
        uptimeLabel: string;
      };
      /** The bearer token Alertmanager's webhook receiver sends; absent: the webhook is off. */
      webhookToken?: string;
      cacheTtlSeconds: number;
    }
  | {
      /** Neither is configured: demo alerts, incidents and uptime; nothing is called. */
      mode: 'demo';
      cacheTtlSeconds: number;
    };

/** Shortest accepted webhook token: guessing it must not be practical. */
export const MIN_WEBHOOK_TOKEN_LENGTH = 24;

function httpUrl(config: Config, key: string) {
  const url = config.getString(key);
  if (!/^https?:\/\/[^/?#]+/.test(url)) {
    throw new Error(
      `${key} must be an http(s) URL, got ${JSON.stringify(url)}`,
    );
  }
  return url;
}

export function readHealthConfig(root: Config): HealthConfig {
  const cacheTtlSeconds =
    root.getOptionalNumber('health.prometheus.cacheTtlSeconds') ?? 300;
  if (!(cacheTtlSeconds > 0)) {
    throw new Error('health.prometheus.cacheTtlSeconds must be above 0');
  }
  const hasAm = root.has('health.alertmanager');
  const hasProm = root.has('health.prometheus.baseUrl');
  if (!hasAm && !hasProm) return { mode: 'demo', cacheTtlSeconds };
  if (!hasAm || !hasProm) {
    throw new Error(
      `health.${
        hasAm ? 'prometheus.baseUrl' : 'alertmanager'
      } is missing: configure both health.alertmanager and health.prometheus, or neither for the demo`,
    );
  }
  const webhookToken = root.getOptionalString(
    'health.alertmanager.webhookToken',
  );
  if (
    webhookToken !== undefined &&
    webhookToken.length < MIN_WEBHOOK_TOKEN_LENGTH
  ) {
    throw new Error(
      `health.alertmanager.webhookToken must be at least ${MIN_WEBHOOK_TOKEN_LENGTH} characters`,
    );
  }
  const uptimeQuery =
    root.getOptionalString('health.prometheus.uptimeQuery') ??
    DEFAULT_UPTIME_QUERY;
  if (!uptimeQuery.includes('$window')) {
    throw new Error(
      'health.prometheus.uptimeQuery must contain $window (the range, e.g. 30d)',
    );
  }
  const uptimeLabel =
    root.getOptionalString('health.prometheus.uptimeLabel') ?? 'service';
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(uptimeLabel)) {
    throw new Error('health.prometheus.uptimeLabel must be a label name');
  }
  return {
    mode: 'monitoring',
    alertmanager: {
      baseUrl: httpUrl(root, 'health.alertmanager.baseUrl'),
    },
    prometheus: {
      baseUrl: httpUrl(root, 'health.prometheus.baseUrl'),
      uptimeQuery,
      uptimeLabel,
    },
    webhookToken,
    cacheTtlSeconds,
  };
}
