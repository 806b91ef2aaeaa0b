import { MetricsAggregates, NewDeploymentEvent, eventTime } from '../types';

const DAY_MS = 24 * 3600 * 1000;

/** The nearest-rank `q` quantile (`rank = ceil(q * n)`) of `values`, or null. */
export function nearestRank(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

/**
 * The definition of the metrics' aggregates, in JS over a list of events:
 * the window's terminal events (not `started`, `from <= eventAt <= to`) in
 * one environment, optionally of one entity or of the entities of one
 * system. `DeploymentStore.metricsAggregates` computes the same in SQL (the
 * tests compare both on random events); this one is the reference.
 */
export function metricsAggregatesOf(
  events: NewDeploymentEvent[],
  options: {
    from: Date;
    to: Date;
    environment: string;
    entityRef?: string;
    system?: string;
    /** The system of an entity (required with `system`). */
    systemOf?: (entityRef: string) => string | undefined;
  },
): MetricsAggregates {
  const terminal = events.filter(e => {
    const at = eventTime(e).getTime();
    return (
      e.environment === options.environment &&
      e.status !== 'started' &&
      at >= options.from.getTime() &&
      at <= options.to.getTime() &&
      (!options.entityRef || e.entityRef === options.entityRef) &&
      (!options.system || options.systemOf?.(e.entityRef) === options.system)
    );
  });
  const isFailure = (e: NewDeploymentEvent) =>
    e.status === 'failed' || e.status === 'rolled_back';

  const durations = terminal
    .filter(e => e.startedAt && e.finishedAt)
    .map(e => e.finishedAt!.getTime() - e.startedAt!.getTime());
  const leadTimes = terminal
    .filter(e => e.status === 'succeeded' && e.commitTimestamp)
    .map(
      e =>
        (e.finishedAt ?? eventTime(e)).getTime() - e.commitTimestamp!.getTime(),
    );
  const restores: number[] = [];
  for (const failure of terminal.filter(isFailure)) {
    const at = eventTime(failure).getTime();
    const next = terminal
      .filter(
        e =>
          e.entityRef === failure.entityRef &&
          e.status === 'succeeded' &&
          eventTime(e).getTime() > at,
      )
      .map(e => eventTime(e).getTime());
    if (next.length > 0) restores.push(Math.min(...next) - at);
  }

  const days = new Map<number, { succeeded: number; failed: number }>();
  for (const e of terminal) {
    const day = Math.floor(eventTime(e).getTime() / DAY_MS);
    const bucket = days.get(day) ?? { succeeded: 0, failed: 0 };
    if (e.status === 'succeeded') bucket.succeeded += 1;
    else bucket.failed += 1;
    days.set(day, bucket);
  }

  const seconds = (v: number | null) => (v === null ? null : v / 1000);
  return {
    terminal: terminal.length,
    succeeded: terminal.filter(e => e.status === 'succeeded').length,
    failures: terminal.filter(isFailure).length,
    durationSeconds: {
      p50: seconds(nearestRank(durations, 0.5)),
      p90: seconds(nearestRank(durations, 0.9)),
    },
    leadTimeSeconds: { p50: seconds(nearestRank(leadTimes, 0.5)) },
    timeToRestoreSeconds: { p50: seconds(nearestRank(restores, 0.5)) },
    daily: [...days.entries()]
      .sort(([a], [b]) => a - b)
      .map(([day, counts]) => ({ day: new Date(day * DAY_MS), ...counts })),
  };
}
