import { Incident } from '@platform-portal/backstage-plugin-health-common';

/** A row of `health_incidents`. */
export type IncidentRow = {
  id?: number;
  fingerprint: string;
  started_at: Date | string | number;
  ended_at: Date | string | number | null;
  alertname: string;
  service: string | null;
  severity: string;
  summary: string | null;
  /** JSON of the alert's labels. */
  labels: string;
  updated_at: Date | string | number;
};

/** What the webhook reports of one alert. */
export type AlertReport = {
  fingerprint: string;
  startedAt: Date;
  /** Set when resolved. */
  endedAt?: Date;
  alertname: string;
  severity: string;
  summary?: string;
  labels: Record<string, string>;
};

const iso = (value: Date | string | number) => new Date(value).toISOString();

/** The one mapper from a row to the API's incident. */
export function rowToIncident(row: IncidentRow): Incident {
  const startedAt = iso(row.started_at);
  const endedAt = row.ended_at ? iso(row.ended_at) : undefined;
  return {
    fingerprint: row.fingerprint,
    alertname: row.alertname,
    severity: row.severity,
    ...(row.summary ? { summary: row.summary } : {}),
    startedAt,
    ...(endedAt
      ? {
          endedAt,
          durationSeconds: Math.round(
            (Date.parse(endedAt) - Date.parse(startedAt)) / 1000,
          ),
        }
      : {}),
  };
}

export function labelsOf(row: IncidentRow): Record<string, string> {
  return JSON.parse(row.labels);
}
