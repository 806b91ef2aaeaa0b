import { MetricsResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';

/** A figure of a metrics response, for tests. */
const figure = (value: number | null, met: boolean | null) => ({
  value,
  unit: 'ratio' as const,
  target: 0.95,
  direction: 'min' as const,
  met,
});

/** A metrics response of 30 days, for the components' tests. */
export const metrics: MetricsResponse = {
  scope: {},
  windowDays: 30,
  from: '2026-10-24T00:00:00Z',
  to: '2026-11-23T00:00:00Z',
  deploysPerWeek: { ...figure(6, true), unit: 'per-week', target: 5 },
  successRate: figure(0.9, false),
  medianDurationSeconds: {
    ...figure(300, true),
    unit: 'seconds',
    target: 600,
    direction: 'max',
  },
  p90DurationSeconds: {
    ...figure(420, true),
    unit: 'seconds',
    target: 600,
    direction: 'max',
  },
  leadTimeSeconds: {
    ...figure(null, null),
    unit: 'seconds',
    target: 86400,
    direction: 'max',
  },
  changeFailureRate: { ...figure(0.1, false), direction: 'max', target: 0.05 },
  timeToRestoreSeconds: {
    ...figure(1800, true),
    unit: 'seconds',
    target: 3600,
    direction: 'max',
  },
  weekly: [],
};
