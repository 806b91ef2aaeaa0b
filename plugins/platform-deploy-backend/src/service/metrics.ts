import {
  MetricFigure,
  MetricsResponse,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { MetricsAggregates } from '../types';

/**
 * The estate's deployment targets: more than 5 production deploys a week and
 * a success rate over 95 % (docs/runbooks/deploy.md), a deploy under 10
 * minutes (docs/runbooks/deploy.md, "Target time"), time to restore under one
 * hour (docs/runbooks/incident-response.md, "Target time"). The estate sets
 * no lead-time or change-failure target: one day is DORA's high-performer
 * bound for lead time, and the change failure rate is the complement of the
 * success rate (5 %).
 */
export const TARGETS = {
  deploysPerWeek: 5,
  successRate: 0.95,
  durationSeconds: 600,
  leadTimeSeconds: 86_400,
  changeFailureRate: 0.05,
  timeToRestoreSeconds: 3_600,
};

const WEEK_MS = 7 * 24 * 3600 * 1000;

function figure(
  value: number | null,
  unit: MetricFigure['unit'],
  target: number,
  direction: MetricFigure['direction'],
): MetricFigure {
  let met: boolean | null = null;
  if (value !== null) {
    met = direction === 'min' ? value >= target : value <= target;
  }
  return { value, unit, target, direction, met };
}

function weekStart(date: Date): Date {
  const d = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()),
  );
  const daysSinceMonday = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - daysSinceMonday * 24 * 3600 * 1000);
}

/**
 * DORA-style figures of a window, from the aggregates of its terminal
 * production events (`DeploymentStore.metricsAggregates`: SQL does the
 * counting, so the work and the memory do not grow with the events).
 */
export function computeMetrics(options: {
  aggregates: MetricsAggregates;
  from: Date;
  to: Date;
}): Omit<MetricsResponse, 'scope'> {
  const { aggregates: a, from, to } = options;
  const weeks = Math.max((to.getTime() - from.getTime()) / WEEK_MS, 1 / 7);

  const weekly = new Map<string, { succeeded: number; failed: number }>();
  for (let w = weekStart(from); w <= to; w = new Date(w.getTime() + WEEK_MS)) {
    weekly.set(w.toISOString(), { succeeded: 0, failed: 0 });
  }
  for (const day of a.daily) {
    const bucket = weekly.get(weekStart(day.day).toISOString());
    if (bucket) {
      bucket.succeeded += day.succeeded;
      bucket.failed += day.failed;
    }
  }

  return {
    windowDays: Math.round(
      (to.getTime() - from.getTime()) / (24 * 3600 * 1000),
    ),
    from: from.toISOString(),
    to: to.toISOString(),
    deploysPerWeek: figure(
      Math.round((a.succeeded / weeks) * 10) / 10,
      'per-week',
      TARGETS.deploysPerWeek,
      'min',
    ),
    successRate: figure(
      a.terminal ? a.succeeded / a.terminal : null,
      'ratio',
      TARGETS.successRate,
      'min',
    ),
    medianDurationSeconds: figure(
      a.durationSeconds.p50,
      'seconds',
      TARGETS.durationSeconds,
      'max',
    ),
    p90DurationSeconds: figure(
      a.durationSeconds.p90,
      'seconds',
      TARGETS.durationSeconds,
      'max',
    ),
    leadTimeSeconds: figure(
      a.leadTimeSeconds.p50,
      'seconds',
      TARGETS.leadTimeSeconds,
      'max',
    ),
    changeFailureRate: figure(
      a.terminal ? a.failures / a.terminal : null,
      'ratio',
      TARGETS.changeFailureRate,
      'max',
    ),
    timeToRestoreSeconds: figure(
      a.timeToRestoreSeconds.p50,
      'seconds',
      TARGETS.timeToRestoreSeconds,
      'max',
    ),
    weekly: [...weekly.entries()].map(([ws, counts]) => ({
      weekStart: ws,
      ...counts,
    })),
  };
}
