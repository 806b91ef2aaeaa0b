import {
  BackupPolicy,
  BackupReason,
  BackupRun,
  BackupSeriesDay,
  EntityBackupStatus,
  RestoreTestSummary,
} from './types';
import {
  DEFAULT_SIZE_ANOMALY,
  DEMO_TOOL,
  MIN_SIZE_ANOMALY_SAMPLES,
  SERIES_DAYS,
} from './constants';
import { formatBytes, formatPercent } from './format';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** `YYYY-MM-DD` of a timestamp in UTC. */
function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function byFinishedDesc(a: BackupRun, b: BackupRun): number {
  return Date.parse(b.finishedAt) - Date.parse(a.finishedAt);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function hoursText(hours: number): string {
  return hours >= 48 ? `${round1(hours / 24)} days` : `${round1(hours)} h`;
}

/**
 * Builds the daily strip: one entry per UTC day, the last {@link SERIES_DAYS}
 * days ending with today. A day is `ok` when a backup succeeded that day,
 * `failed` when backups ran but all failed, `missing` when none ran, and
 * `pending` for today when nothing has run yet.
 */
function buildSeries(backups: BackupRun[], nowMs: number): BackupSeriesDay[] {
  const byDay = new Map<string, BackupSeriesDay>();
  const today = utcDay(nowMs);
  const days: BackupSeriesDay[] = [];
  for (let i = SERIES_DAYS - 1; i >= 0; i--) {
    const date = utcDay(nowMs - i * DAY_MS);
    const day: BackupSeriesDay = {
      date,
      result: date === today ? 'pending' : 'missing',
    };
    byDay.set(date, day);
    days.push(day);
  }
  // Oldest first, so the last successful backup of a day wins its size.
  for (const run of [...backups].sort(byFinishedDesc).reverse()) {
    const day = byDay.get(utcDay(Date.parse(run.finishedAt)));
    if (!day) continue;
    if (run.status === 'succeeded') {
      day.result = 'ok';
      if (run.sizeBytes !== undefined) day.sizeBytes = run.sizeBytes;
    } else if (day.result !== 'ok') {
      day.result = 'failed';
    }
  }
  return days;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The `size_anomaly` reason of the last good backup, if any: empty, or
 * much smaller than the median of the successful backups before it.
 */
function sizeAnomaly(
  policy: BackupPolicy,
  backups: BackupRun[],
  lastGood: BackupRun,
): BackupReason | undefined {
  if (lastGood.sizeBytes === undefined) return undefined;
  const { minRatio, window } = policy.anomaly ?? DEFAULT_SIZE_ANOMALY;
  const lastMs = Date.parse(lastGood.finishedAt);
  const previous = backups
    .filter(
      r =>
        r !== lastGood &&
        r.status === 'succeeded' &&
        r.sizeBytes !== undefined &&
        Date.parse(r.finishedAt) <= lastMs,
    )
    .slice(0, window)
    .map(r => r.sizeBytes!);
  const enough =
    previous.length >= Math.min(MIN_SIZE_ANOMALY_SAMPLES, window) &&
    previous.length > 0;
  const typical = enough ? median(previous) : undefined;
  if (lastGood.sizeBytes === 0) {
    return {
      code: 'size_anomaly',
      severity: 'critical',
      message: `Last backup is empty (0 bytes)${
        typical === undefined
          ? '.'
          : `; the median of the previous ${previous.length} is ${formatBytes(
              typical,
            )}.`
      }`,
    };
  }
  if (typical === undefined || typical <= 0) return undefined;
  const ratio = lastGood.sizeBytes / typical;
  if (ratio >= minRatio) return undefined;
  return {
    code: 'size_anomaly',
    severity: 'warning',
    message: `Last backup ${formatBytes(lastGood.sizeBytes)} is ${formatPercent(
      ratio,
    )} of the median ${formatBytes(typical)} of the previous ${
      previous.length
    } (a warning below ${formatPercent(minRatio)}).`,
  };
}

/**
 * The status engine: derives the backup health of one entity from its policy
 * and its reported runs, at the instant `now`. Pure: no I/O, no clock reads.
 *
 * Rules (each adds a reason; the status is the worst severity, `ok` if none):
 *
 * - no policy, or no runs at all: `unknown`.
 * - `no_good_backup` (critical): backups ran but none succeeded.
 * - `rpo_breached`: the last good backup is older than the RPO. `warning`
 *   while within `graceHours` past the RPO, `critical` beyond.
 * - `last_run_failed` (warning): the most recent backup run failed.
 * - `missing_days` (warning): a completed UTC day in the series, since the first
 *   reported run, has no successful backup. Only for policies with an RPO of
 *   24 h or less (daily or more often). Today is never counted.
 * - `retention_short` (warning): a run reported `oldestKeptAt`, and a backup
 *   that succeeded inside the retention window finished before that instant,
 *   so it was deleted too early.
 * - `restore_test_missing` (warning): no restore test or drill reported.
 * - `restore_test_failed` (critical): the latest restore test or drill failed.
 * - `restore_test_overdue` (warning): no restore test or drill succeeded
 *   within `restoreTestIntervalDays` plus `graceHours`.
 * - `restore_over_rto` (warning): the last successful restore took longer than
 *   the RTO.
 * - `size_anomaly`: the last successful backup is empty (0 bytes: critical),
 *   or below the policy's `anomaly.minRatio` (default 0.5) of the median size
 *   of the previous `anomaly.window` (default 7) successful backups with a
 *   size (warning; needs at least 3 of them, or the window when smaller).
 *
 * @public
 */
export function computeBackupStatus(
  policy: BackupPolicy | undefined,
  runs: BackupRun[],
  now: Date,
): EntityBackupStatus {
  const nowMs = now.getTime();
  const backups = runs.filter(r => r.type === 'backup').sort(byFinishedDesc);
  const series = buildSeries(backups, nowMs);
  const demo = runs.length > 0 && runs.every(r => r.tool === DEMO_TOOL);

  if (!policy) {
    return {
      status: 'unknown',
      reasons: [
        {
          code: 'no_policy',
          severity: 'unknown',
          message: 'No backup policy is known for this entity.',
        },
      ],
      series,
      demo,
    };
  }
  if (runs.length === 0) {
    return {
      status: 'unknown',
      reasons: [
        {
          code: 'no_runs',
          severity: 'unknown',
          message: 'No backup runs have been reported yet.',
        },
      ],
      series,
      demo,
    };
  }

  const reasons: BackupReason[] = [];
  const lastGood = backups.find(r => r.status === 'succeeded');
  let ageHours: number | undefined;

  if (!lastGood) {
    reasons.push({
      code: 'no_good_backup',
      severity: 'critical',
      message: 'No successful backup has been reported.',
    });
  } else {
    ageHours = (nowMs - Date.parse(lastGood.finishedAt)) / HOUR_MS;
    if (ageHours > policy.rpoHours) {
      const critical = ageHours > policy.rpoHours + policy.graceHours;
      reasons.push({
        code: 'rpo_breached',
        severity: critical ? 'critical' : 'warning',
        message: `The last good backup is ${hoursText(
          ageHours,
        )} old; the RPO is ${hoursText(policy.rpoHours)}${
          critical ? '' : ` (within the ${hoursText(policy.graceHours)} grace)`
        }.`,
      });
    }
  }

  const sizeReason = lastGood && sizeAnomaly(policy, backups, lastGood);
  if (sizeReason) reasons.push(sizeReason);

  if (backups.length > 0 && backups[0].status === 'failed') {
    reasons.push({
      code: 'last_run_failed',
      severity: 'warning',
      message: `The latest backup run failed${
        backups[0].message ? `: ${backups[0].message}` : '.'
      }`,
    });
  }

  if (policy.rpoHours <= 24 && backups.length > 0) {
    const firstDay = utcDay(Date.parse(backups[backups.length - 1].finishedAt));
    const today = utcDay(nowMs);
    const badDays = series.filter(
      d => d.date >= firstDay && d.date < today && d.result !== 'ok',
    );
    if (badDays.length > 0) {
      reasons.push({
        code: 'missing_days',
        severity: 'warning',
        message: `${
          badDays.length
        } day(s) without a successful backup in the last ${SERIES_DAYS} days: ${badDays
          .map(d => d.date)
          .join(', ')}.`,
      });
    }
  }

  const withOldestKept = backups.find(r => r.oldestKeptAt !== undefined);
  if (withOldestKept?.oldestKeptAt) {
    const oldestKeptMs = Date.parse(withOldestKept.oldestKeptAt);
    const windowStartMs = nowMs - policy.retentionDays * DAY_MS;
    const deletedTooEarly = backups.some(r => {
      const finished = Date.parse(r.finishedAt);
      return (
        r.status === 'succeeded' &&
        finished >= windowStartMs &&
        finished < oldestKeptMs
      );
    });
    if (deletedTooEarly) {
      const keptDays = round1((nowMs - oldestKeptMs) / DAY_MS);
      reasons.push({
        code: 'retention_short',
        severity: 'warning',
        message: `Storage keeps backups for ${keptDays} days; the policy promises ${policy.retentionDays} days.`,
      });
    }
  }

  const restores = runs
    .filter(r => r.type === 'restore-test' || r.type === 'drill')
    .sort(byFinishedDesc);
  let lastRestoreTest: RestoreTestSummary | undefined;
  if (restores.length === 0) {
    reasons.push({
      code: 'restore_test_missing',
      severity: 'warning',
      message: 'No restore test or drill has been reported.',
    });
  } else {
    const latest = restores[0];
    lastRestoreTest = {
      type: latest.type,
      status: latest.status,
      finishedAt: latest.finishedAt,
      durationMinutes: round1(
        (Date.parse(latest.finishedAt) - Date.parse(latest.startedAt)) / 60000,
      ),
    };
    if (latest.status === 'failed') {
      reasons.push({
        code: 'restore_test_failed',
        severity: 'critical',
        message: `The latest ${latest.type} failed${
          latest.message ? `: ${latest.message}` : '.'
        }`,
      });
    }
    const lastGoodRestore = restores.find(r => r.status === 'succeeded');
    const intervalHours = policy.restoreTestIntervalDays * 24;
    const restoreAgeHours = lastGoodRestore
      ? (nowMs - Date.parse(lastGoodRestore.finishedAt)) / HOUR_MS
      : Infinity;
    if (restoreAgeHours > intervalHours + policy.graceHours) {
      reasons.push({
        code: 'restore_test_overdue',
        severity: 'warning',
        message: lastGoodRestore
          ? `The last successful restore test is ${hoursText(
              restoreAgeHours,
            )} old; one is due every ${policy.restoreTestIntervalDays} days.`
          : `No restore test has succeeded; one is due every ${policy.restoreTestIntervalDays} days.`,
      });
    }
    if (lastGoodRestore) {
      const durationHours =
        (Date.parse(lastGoodRestore.finishedAt) -
          Date.parse(lastGoodRestore.startedAt)) /
        HOUR_MS;
      if (durationHours > policy.rtoHours) {
        reasons.push({
          code: 'restore_over_rto',
          severity: 'warning',
          message: `The last restore took ${hoursText(
            durationHours,
          )}; the RTO is ${hoursText(policy.rtoHours)}.`,
        });
      }
    }
  }

  let status: EntityBackupStatus['status'] = 'ok';
  if (reasons.some(r => r.severity === 'critical')) {
    status = 'critical';
  } else if (reasons.length > 0) {
    status = 'warning';
  }

  return {
    status,
    reasons,
    lastGoodBackupAt: lastGood?.finishedAt,
    ageHours: ageHours === undefined ? undefined : round1(ageHours),
    series,
    lastRestoreTest,
    demo,
  };
}
