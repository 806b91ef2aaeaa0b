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
  /**
   * When a successful backup is suspiciously small: below `minRatio` of the
   * median size of the previous `window` successful backups is a warning
   * (`size_anomaly`); an empty one (0 bytes) is critical. Absent:
   * {@link DEFAULT_SIZE_ANOMALY}. A `minRatio` of 0 turns the warning off.
   */
  anomaly?: SizeAnomalyPolicy;
}

/** Thresholds of the backup size check of a policy. @public */
export interface SizeAnomalyPolicy {
  /** A backup below this fraction of the median is a warning (0.5: half). */
  minRatio: number;
  /** How many previous successful backups (with a size) the median is over. */
  window: number;
}

/** One reported run, as stored. @public */
export interface BackupRun {
  /** Lower-case ref of the entity the run belongs to. */
  entityRef: string;
  /** What the run did. */
  type: BackupRunType;
  /** How the run ended. */
  status: BackupRunStatus;
  /** When the run started. */
  startedAt: string;
  /** When the run finished. */
  finishedAt: string;
  /** Unique key of the run; a known key is not stored again. */
  idempotencyKey: string;
  /** Size of the backup in bytes. */
  sizeBytes?: number;
  /** Where the backup is stored, e.g. an `s3://` URL. */
  location?: string;
  /** Checksum of the backup, e.g. `sha256:...`. */
  checksum?: string;
  /** The tool that made the run, e.g. `pg_dump`. */
  tool?: string;
  /** Free text about the run. */
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
  | 'restore_over_rto'
  | 'size_anomaly';

/** Why an entity is not `ok`: a code for machines, a message for humans. @public */
export interface BackupReason {
  /** Machine-readable reason code. */
  code: BackupReasonCode;
  /** The status this reason leads to. */
  severity: 'warning' | 'critical' | 'unknown';
  /** Human-readable explanation. */
  message: string;
}

/** Result of one UTC day in the daily strip. `pending`: today, nothing yet. @public */
export type DailyResult = 'ok' | 'failed' | 'missing' | 'pending';

/** One UTC day of the 30-day series. @public */
export interface BackupSeriesDay {
  /** UTC date, `YYYY-MM-DD`. */
  date: string;
  /** Result of the day. */
  result: DailyResult;
  /** Size of the last successful backup of that day. */
  sizeBytes?: number;
}

/** Summary of the latest restore test or drill. @public */
export interface RestoreTestSummary {
  /** `restore-test` or `drill`. */
  type: BackupRunType;
  /** How the test ended. */
  status: BackupRunStatus;
  /** When the test finished. */
  finishedAt: string;
  /** Duration of the test in minutes (one decimal). */
  durationMinutes: number;
}

/** Output of the status engine for one entity. @public */
export interface EntityBackupStatus {
  /** Overall health. */
  status: BackupHealth;
  /** Why the entity is not `ok`; empty when it is. */
  reasons: BackupReason[];
  /** Finish time of the last successful backup. */
  lastGoodBackupAt?: string;
  /** Age of the last good backup in hours (one decimal). */
  ageHours?: number;
  /** The 30-day daily series, one entry per UTC day. */
  series: BackupSeriesDay[];
  /** The latest restore test or drill. */
  lastRestoreTest?: RestoreTestSummary;
  /** True when every run seen came from the demo feeder. */
  demo: boolean;
}

/** One row of `GET /v1/overview`. @public */
export interface BackupOverviewItem {
  /** Lower-case entity ref. */
  entityRef: string;
  /** The entity's title, else its name. */
  title?: string;
  /** The entity's `spec.owner`. */
  owner?: string;
  /** Name of the entity's backup policy. */
  policyName: string;
  /** The resolved policy; absent when the policy name is unknown. */
  policy?: BackupPolicy;
  /** Backup status computed for the entity. */
  backup: EntityBackupStatus;
}

/** Response of `GET /v1/overview`. @public */
export interface BackupOverviewResponse {
  /** The items of the requested page. */
  items: BackupOverviewItem[];
  /** Number of matching items, before pagination. */
  totalItems: number;
  /** Counts over all matching items, before pagination. */
  summary: {
    total: number;
    withinRpo: number;
    restoreTestedLast7Days: number;
    byStatus: Record<BackupHealth, number>;
    /** Matching items whose last backup is empty or much smaller than usual (`size_anomaly`). */
    sizeAnomalies: number;
  };
}

/** Response of `GET /v1/entities/:kind/:namespace/:name`. @public */
export interface EntityBackupDetails extends BackupOverviewItem {
  /** The requested page of the entity's runs, newest first. */
  runs: BackupRun[];
  /** Number of the entity's runs, before pagination. */
  totalRuns: number;
  /** The entity's latest restore tests and drills (up to 20). */
  restoreTests: BackupRun[];
}

/** Response of `POST /v1/runs`. @public */
export interface IngestRunsResponse {
  /** Runs newly stored. */
  stored: number;
  /** Runs whose idempotency key was already known (not stored again). */
  duplicates: number;
}
