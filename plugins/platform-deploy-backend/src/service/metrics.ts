import {
  MetricFigure,
  MetricsResponse,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { MetricsEvent } from '../types';

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

export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank: the smallest value with at least q of the values at or below it.
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

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

const isFailure = (status: string) =>
  status === 'failed' || status === 'rolled_back';

/**
 * DORA-style figures over the events of a window. Production is the
 * environment the KPIs are about (`productionEnvironment`).
 */
export function computeMetrics(options: {
  events: MetricsEvent[];
  from: Date;
  to: Date;
  productionEnvironment: string;
}): Omit<MetricsResponse, 'scope'> {
  const { from, to, productionEnvironment } = options;
  const events = options.events
    .filter(e => e.eventAt >= from && e.eventAt <= to)
    .sort((a, b) => a.eventAt.getTime() - b.eventAt.getTime());
  const production = events.filter(
    e => e.environment === productionEnvironment,
  );
  const terminal = production.filter(e => e.status !== 'started');
  const succeeded = terminal.filter(e => e.status === 'succeeded');
  const failures = terminal.filter(e => isFailure(e.status));

  const weeks = Math.max((to.getTime() - from.getTime()) / WEEK_MS, 1 / 7);
  const durations = terminal
    .filter(e => e.startedAt && e.finishedAt)
    .map(e => (e.finishedAt!.getTime() - e.startedAt!.getTime()) / 1000);
  const leadTimes = succeeded
    .filter(e => e.commitTimestamp)
    .map(
      e =>
        ((e.finishedAt ?? e.eventAt).getTime() - e.commitTimestamp!.getTime()) /
        1000,
    );

  // Time to restore: from a failed production deploy to the next succeeded one
  // of the same service.
  const restoreTimes: number[] = [];
  for (const failure of failures) {
    const recovery = succeeded.find(
      s => s.entityRef === failure.entityRef && s.eventAt > failure.eventAt,
    );
    if (recovery) {
      restoreTimes.push(
        (recovery.eventAt.getTime() - failure.eventAt.getTime()) / 1000,
      );
    }
  }

  const weekly = new Map<string, { succeeded: number; failed: number }>();
  for (let w = weekStart(from); w <= to; w = new Date(w.getTime() + WEEK_MS)) {
    weekly.set(w.toISOString(), { succeeded: 0, failed: 0 });
  }
  for (const e of terminal) {
    const bucket = weekly.get(weekStart(e.eventAt).toISOString());
    if (bucket) {
      if (e.status === 'succeeded') bucket.succeeded += 1;
      else bucket.failed += 1;
    }
  }

  return {
    windowDays: Math.round(
      (to.getTime() - from.getTime()) / (24 * 3600 * 1000),
    ),
    from: from.toISOString(),
    to: to.toISOString(),
    deploysPerWeek: figure(
      Math.round((succeeded.length / weeks) * 10) / 10,
      'per-week',
      TARGETS.deploysPerWeek,
      'min',
    ),
    successRate: figure(
      terminal.length ? succeeded.length / terminal.length : null,
      'ratio',
      TARGETS.successRate,
      'min',
    ),
    medianDurationSeconds: figure(
      quantile(durations, 0.5),
      'seconds',
      TARGETS.durationSeconds,
      'max',
    ),
    p90DurationSeconds: figure(
      quantile(durations, 0.9),
      'seconds',
      TARGETS.durationSeconds,
      'max',
    ),
    leadTimeSeconds: figure(
      quantile(leadTimes, 0.5),
      'seconds',
      TARGETS.leadTimeSeconds,
      'max',
    ),
    changeFailureRate: figure(
      terminal.length ? failures.length / terminal.length : null,
      'ratio',
      TARGETS.changeFailureRate,
      'max',
    ),
    timeToRestoreSeconds: figure(
      quantile(restoreTimes, 0.5),
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
