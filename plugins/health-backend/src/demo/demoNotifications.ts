import { AlertmanagerWebhook } from '@platform-portal/backstage-plugin-health-common';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The estate's five rules (deploy/monitoring/alert-rules.yaml), as they label and annotate. */
const RULES = [
  {
    alertname: 'ServiceDown',
    severity: 'critical',
    summary: '{s} is down',
    anchor: 'service-down',
    weight: 3,
  },
  {
    alertname: 'HighErrorRate',
    severity: 'critical',
    summary: '{s} answers more than 5 % of requests with 5xx',
    anchor: 'high-error-rate',
    weight: 2,
  },
  {
    alertname: 'HighCpuUsage',
    severity: 'warning',
    summary: '{s} uses more than 80 % of its CPU limit',
    anchor: 'high-cpu',
    weight: 3,
  },
  {
    alertname: 'HighMemoryUsage',
    severity: 'warning',
    summary: '{s} uses more than 90 % of its memory limit',
    anchor: 'high-memory',
    weight: 2,
  },
  {
    alertname: 'DiskSpaceLow',
    severity: 'critical',
    summary: 'Less than 10 % of a disk of {s} is free',
    anchor: 'disk-space-low',
    weight: 1,
  },
];

/** Deterministic PRNG (mulberry32) from a hash of `key`: the same demo on every start. */
function random(key: string) {
  let state = [...key].reduce(
    (h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619),
    2166136261,
  );
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(rand: () => number) {
  const total = RULES.reduce((sum, r) => sum + r.weight, 0);
  let x = rand() * total;
  for (const rule of RULES) {
    x -= rule.weight;
    if (x < 0) return rule;
  }
  return RULES[0];
}

/**
 * About 30 days of incidents for each service, as Alertmanager's webhook
 * would have posted them: a firing notification, then a resolved one.
 * Most services have one to three incidents of 5 to 90 minutes (ServiceDown
 * ones short enough that most meet the 99.9 % objective, some not); about
 * one service in eight is firing now. Every alert is labelled `demo="true"`.
 */
export function demoNotifications(
  services: string[],
  now: Date,
  days = 30,
): AlertmanagerWebhook[] {
  const notifications: AlertmanagerWebhook[] = [];
  for (const service of services) {
    const rand = random(service);
    const count = Math.floor(rand() * 4);
    const firingNow = rand() < 0.125;
    for (let i = 0; i < count + (firingNow ? 1 : 0); i++) {
      const rule = pick(rand);
      const open = i === count;
      const startsAt = open
        ? new Date(now.getTime() - (5 + rand() * 120) * MINUTE_MS)
        : new Date(now.getTime() - (0.2 + rand() * (days - 0.5)) * DAY_MS);
      const minutes =
        rule.alertname === 'ServiceDown' ? 3 + rand() * 40 : 5 + rand() * 85;
      const endsAt = new Date(startsAt.getTime() + minutes * MINUTE_MS);
      const fingerprint = [...`${service}:${rule.alertname}:${i}`]
        .reduce(
          (h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0,
          2166136261,
        )
        .toString(16)
        .padStart(8, '0');
      const alert = {
        labels: {
          alertname: rule.alertname,
          severity: rule.severity,
          service,
          demo: 'true',
        },
        annotations: {
          summary: rule.summary.replace('{s}', service),
          runbook_url: `https://portal.mana.how/docs/default/system/platform-portal/runbooks/incident-response/#${rule.anchor}`,
        },
        startsAt: startsAt.toISOString(),
        fingerprint,
      };
      notifications.push({
        version: '4',
        status: 'firing',
        alerts: [
          { ...alert, status: 'firing', endsAt: '0001-01-01T00:00:00Z' },
        ],
      });
      if (!open) {
        notifications.push({
          version: '4',
          status: 'resolved',
          alerts: [
            { ...alert, status: 'resolved', endsAt: endsAt.toISOString() },
          ],
        });
      }
    }
  }
  return notifications;
}

/** The runbook a demo rule names. */
export function demoRunbookOf(alertname: string): string | undefined {
  const rule = RULES.find(r => r.alertname === alertname);
  return rule
    ? `https://portal.mana.how/docs/default/system/platform-portal/runbooks/incident-response/#${rule.anchor}`
    : undefined;
}
