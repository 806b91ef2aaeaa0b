/**
 * Domain types shared by the backup-status frontend, backend and modules.
 *
 * All timestamps are ISO 8601 strings in UTC (`2026-11-23T02:00:00.000Z`).
 */

/** What a run did: a scheduled backup, an automated restore test or a manual drill. @public */
export type BackupRunType = 'backup' | 'restore-test' | 'drill';

/** How a run ended. @public */
export type BackupRunStatus = 'succeeded' | 'failed';

/** Overall health of an entity's backups. @public */
export type BackupHealth = 'ok' | 'warning' | 'critical' | 'unknown';

/**
 * A backup policy, resolved from config (`backupStatus.policies.<name>`) and
 * entity annotations. Durations are already converted to hours/days.
 *
 * @public
 */
export interface BackupPolicy {
  /** Policy name, e.g. `postgres-daily`. */
  name: string;
  /** Cron expression of the backup schedule, informational (e.g. `0 2 * * *`). */
  schedule: string;
  /** Recovery point objective: maximum accepted age of the last good backup. */
  rpoHours: number;
  /** How long backups are promised to be kept. */
  retentionDays: number;
  /** How often an automated restore test must succeed. */
  restoreTestIntervalDays: number;
  /** Recovery time objective: maximum accepted restore duration. */
  rtoHours: number;
  /** Lateness tolerated past a deadline before `warning` turns `critical`. */
  graceHours: number;
}

/** One reported run, as stored. @public */
export interface BackupRun {
  entityRef: string;
  type: BackupRunType;
  status: BackupRunStatus;
  startedAt: string;
  finishedAt: string;
  idempotencyKey: string;
  sizeBytes?: number;
  location?: string;
  checksum?: string;
  tool?: string;
  message?: string;
  /** Oldest backup still kept in storage at the time of this run, when the tool knows. */
  oldestKeptAt?: string;
}

/** Machine-readable reason codes. @public */
export type BackupReasonCode =
  | 'no_policy'
  | 'no_runs'
  | 'no_good_backup'
  | 'rpo_breached'
  | 'last_run_failed'
  | 'missing_days'
  | 'retention_short'
  | 'restore_test_missing'
  | 'restore_test_overdue'
  | 'restore_test_failed'
  | 'restore_over_rto';

/** Why an entity is not `ok`: a code for machines, a message for humans. @public */
export interface BackupReason {
  code: BackupReasonCode;
  severity: 'warning' | 'critical' | 'unknown';
  message: string;
}

/** Result of one UTC day in the daily strip. `pending`: today, nothing yet. @public */
export type DailyResult = 'ok' | 'failed' | 'missing' | 'pending';

/** One UTC day of the 30-day series. @public */
export interface BackupSeriesDay {
  /** UTC date, `YYYY-MM-DD`. */
  date: string;
  result: DailyResult;
  /** Size of the last successful backup of that day. */
  sizeBytes?: number;
}

/** Summary of the latest restore test or drill. @public */
export interface RestoreTestSummary {
  type: BackupRunType;
  status: BackupRunStatus;
  finishedAt: string;
  durationMinutes: number;
}

/** Output of the status engine for one entity. @public */
export interface EntityBackupStatus {
  status: BackupHealth;
  reasons: BackupReason[];
  lastGoodBackupAt?: string;
  /** Age of the last good backup in hours (one decimal). */
  ageHours?: number;
  series: BackupSeriesDay[];
  lastRestoreTest?: RestoreTestSummary;
  /** True when every run seen came from the demo feeder. */
  demo: boolean;
}

/** One row of `GET /v1/overview`. @public */
export interface BackupOverviewItem {
  entityRef: string;
  title?: string;
  owner?: string;
  policyName: string;
  policy?: BackupPolicy;
  backup: EntityBackupStatus;
}

/** Response of `GET /v1/overview`. @public */
export interface BackupOverviewResponse {
  items: BackupOverviewItem[];
  totalItems: number;
  /** Counts over all matching items, before pagination. */
  summary: {
    total: number;
    withinRpo: number;
    restoreTestedLast7Days: number;
    byStatus: Record<BackupHealth, number>;
  };
}

/** Response of `GET /v1/entities/:kind/:namespace/:name`. @public */
export interface EntityBackupDetails extends BackupOverviewItem {
  runs: BackupRun[];
  totalRuns: number;
  restoreTests: BackupRun[];
}

/** Response of `POST /v1/runs`. @public */
export interface IngestRunsResponse {
  /** Runs newly stored. */
  stored: number;
  /** Runs whose idempotency key was already known (not stored again). */
  duplicates: number;
}
