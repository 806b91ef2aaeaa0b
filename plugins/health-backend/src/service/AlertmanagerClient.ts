import {
  AlertSelector,
  FiringAlert,
} from '@platform-portal/backstage-plugin-health-common';
import { AlertSource, SilenceMatcher } from './types';

/** An alert as Alertmanager's API v2 returns it (`GET /api/v2/alerts`). */
type GettableAlert = {
  fingerprint: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed' };
};

/** Talks to Alertmanager's HTTP API v2 from the backend (never the browser). */
export class AlertmanagerClient implements AlertSource {
  constructor(
    private readonly options: {
      baseUrl: string;
      /** Timeout of one request, ms. */
      timeoutMs?: number;
    },
  ) {}

  private url(path: string) {
    return `${this.options.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  private async call(path: string, init?: RequestInit): Promise<unknown> {
    const res = await fetch(this.url(path), {
      ...init,
      headers: { 'content-type': 'application/json', ...init?.headers },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!res.ok) {
      const text = (await res.text()).slice(0, 300);
      throw new Error(`Alertmanager ${path} answered ${res.status}: ${text}`);
    }
    return res.json();
  }

  /** Firing alerts (silenced ones too, marked) whose label matches. */
  async firingAlerts(selector: AlertSelector): Promise<FiringAlert[]> {
    // The value has no quotes or backslashes (alertSelectorOf checks).
    return this.alerts(`${selector.label}="${selector.value}"`);
  }

  /** Every firing alert of the estate, in one call. */
  async allFiringAlerts(): Promise<FiringAlert[]> {
    return this.alerts();
  }

  private async alerts(filter?: string): Promise<FiringAlert[]> {
    const params = new URLSearchParams({
      active: 'true',
      silenced: 'true',
      inhibited: 'true',
    });
    if (filter) params.append('filter', filter);
    const alerts = (await this.call(
      `/api/v2/alerts?${params}`,
    )) as GettableAlert[];
    return alerts
      .map(alert => ({
        fingerprint: alert.fingerprint,
        alertname: alert.labels.alertname ?? 'unknown',
        severity: alert.labels.severity ?? 'none',
        since: alert.startsAt,
        ...(alert.annotations?.summary
          ? { summary: alert.annotations.summary }
          : {}),
        ...(alert.annotations?.description
          ? { description: alert.annotations.description }
          : {}),
        ...(alert.annotations?.runbook_url
          ? { runbookUrl: alert.annotations.runbook_url }
          : {}),
        silenced: alert.status.state === 'suppressed',
        labels: alert.labels,
      }))
      .sort((a, b) => a.since.localeCompare(b.since));
  }

  /** Creates a silence; resolves with its id. */
  async createSilence(silence: {
    matchers: SilenceMatcher[];
    startsAt: string;
    endsAt: string;
    createdBy: string;
    comment: string;
  }): Promise<string> {
    const body = (await this.call('/api/v2/silences', {
      method: 'POST',
      body: JSON.stringify(silence),
    })) as { silenceID: string };
    return body.silenceID;
  }
}
