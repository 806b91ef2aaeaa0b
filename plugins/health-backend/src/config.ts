import { Config } from '@backstage/config';

/** The health plugin's configuration (`health`, see config.d.ts). */
export type HealthConfig = {
  alertmanager: { baseUrl: string };
  /** The bearer token Alertmanager's webhook receiver sends; absent: the webhook is off. */
  webhookToken?: string;
};

/** Shortest accepted webhook token: guessing it must not be practical. */
export const MIN_WEBHOOK_TOKEN_LENGTH = 24;

export function readHealthConfig(config: Config): HealthConfig {
  const baseUrl = config.getString('health.alertmanager.baseUrl');
  if (!/^https?:\/\/[^/?#]+/.test(baseUrl)) {
    throw new Error(
      `health.alertmanager.baseUrl must be an http(s) URL, got ${JSON.stringify(
        baseUrl,
      )}`,
    );
  }
  const webhookToken = config.getOptionalString(
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
  return { alertmanager: { baseUrl }, webhookToken };
}
