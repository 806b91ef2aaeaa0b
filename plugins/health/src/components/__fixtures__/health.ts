import {
  EntityUptime,
  HealthOverview,
  UptimeWindow,
} from '@platform-portal/backstage-plugin-health-common';
import { EntityAlerts, EntityIncidents } from '../../api/HealthApi';

const HOUR = 3600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

export function window(days: number, uptime?: number): UptimeWindow {
  const budget = Math.round(days * 86400 * 0.001);
  if (uptime === undefined) {
    return { days, objective: 0.999, errorBudgetSeconds: budget };
  }
  const down = Math.round(days * 86400 * (1 - uptime));
  return {
    days,
    objective: 0.999,
    uptime,
    meetsObjective: uptime >= 0.999,
    errorBudgetSeconds: budget,
    downtimeSeconds: down,
    errorBudgetRemaining: (budget - down) / budget,
  };
}

export const alerts: EntityAlerts = {
  selector: { label: 'service', value: 'chat-backend' },
  alerts: [
    {
      fingerprint: 'a1',
      alertname: 'HighErrorRate',
      severity: 'critical',
      since: ago(3 * HOUR),
      summary: 'chat-backend answers more than 5 % of requests with 5xx',
      runbookUrl:
        'https://portal.mana.how/docs/default/system/platform-portal/runbooks/incident-response/#high-error-rate',
      silenced: false,
      labels: { service: 'chat-backend', severity: 'critical' },
    },
    {
      fingerprint: 'a2',
      alertname: 'HighCpuUsage',
      severity: 'warning',
      since: ago(20 * 60_000),
      summary: 'chat-backend uses more than 80 % of its CPU limit',
      silenced: true,
      labels: { service: 'chat-backend', severity: 'warning' },
    },
  ],
};

export const uptime: EntityUptime = {
  selector: { label: 'service', value: 'chat-backend' },
  windows: [window(7, 0.9995), window(30, 0.998)],
  demo: true,
};

export const incidents: EntityIncidents = {
  selector: { label: 'service', value: 'chat-backend' },
  incidents: [
    {
      fingerprint: 'a1',
      alertname: 'HighErrorRate',
      severity: 'critical',
      startedAt: ago(3 * HOUR),
    },
    {
      fingerprint: 'b1',
      alertname: 'ServiceDown',
      severity: 'critical',
      summary: 'chat-backend is down',
      startedAt: ago(50 * HOUR),
      endedAt: ago(50 * HOUR - 4500_000),
      durationSeconds: 4500,
    },
  ],
  reliability: {
    windowDays: 30,
    incidents: 2,
    mttrSeconds: 4500,
    mtbfSeconds: 1_280_000,
  },
};

export const overview: HealthOverview = {
  demo: true,
  unmatchedFiring: 1,
  services: [
    {
      entityRef: 'component:default/chat-backend',
      owner: 'group:default/chat-team',
      selector: { label: 'service', value: 'chat-backend' },
      firing: { critical: 1 },
      silenced: 1,
      windows: [window(7, 0.9995), window(30, 0.998)],
      reliability: { windowDays: 30, incidents: 2, mttrSeconds: 4500 },
    },
    {
      entityRef: 'component:default/chat-web',
      owner: 'group:default/chat-team',
      selector: { label: 'service', value: 'chat-web' },
      firing: { warning: 2 },
      silenced: 0,
      windows: [window(7, 1), window(30, 0.9999)],
      reliability: { windowDays: 30, incidents: 2, mttrSeconds: 600 },
    },
    {
      entityRef: 'component:default/quote-backend',
      owner: 'group:default/quote-team',
      selector: { label: 'service', value: 'quote-backend' },
      firing: { critical: 2, warning: 1 },
      silenced: 0,
      windows: [window(7, 0.99), window(30, 0.995)],
      reliability: { windowDays: 30, incidents: 5, mttrSeconds: 1800 },
    },
    {
      entityRef: 'component:default/docs',
      owner: 'group:default/platform-team',
      selector: { label: 'service', value: 'docs' },
      firing: {},
      silenced: 0,
      windows: [window(7), window(30)],
      reliability: { windowDays: 30, incidents: 0 },
    },
  ],
};
