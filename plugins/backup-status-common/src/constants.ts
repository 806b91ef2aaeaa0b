/** Annotation naming the backup policy of an entity. @public */
export const BACKUP_POLICY_ANNOTATION = 'platform-portal.dev/backup-policy';
/** Optional per-entity RPO override, e.g. `12h` or `PT12H`. @public */
export const BACKUP_RPO_ANNOTATION = 'platform-portal.dev/backup-rpo';
/** Optional per-entity retention override, e.g. `14d` or `P14D`. @public */
export const BACKUP_RETENTION_ANNOTATION =
  'platform-portal.dev/backup-retention';
/** Tool name the demo feeder puts on its runs. @public */
export const DEMO_TOOL = 'demo';
/** Number of UTC days in the daily series. @public */
export const SERIES_DAYS = 30;
/** Maximum runs in one `POST /v1/runs` batch. @public */
export const MAX_BATCH_RUNS = 500;
/**
 * The size check of a policy that sets none: a backup under half the median
 * of the previous 7 successful ones is a warning. @public
 */
export const DEFAULT_SIZE_ANOMALY = { minRatio: 0.5, window: 7 } as const;
/**
 * Fewest previous sized backups the size check compares with (or the
 * window, when smaller): a new database's first dumps are not judged. @public
 */
export const MIN_SIZE_ANOMALY_SAMPLES = 3;
