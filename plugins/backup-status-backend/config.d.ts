import { HumanDuration } from '@backstage/types';
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the backup-status plugin. */
  backupStatus?: {
    notifications?: {
      /** When to compare statuses and notify owners of new critical incidents and recoveries. Default: every 15 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    ingest?: {
      /**
       * Reported runs per credential per minute, per replica (a batch of 100
       * counts 100); more get 429. Default: 6000. Replaces
       * `requestsPerMinute`, which is no longer read. What each credential
       * may report for is `platformPortal.ingest.credentials` (the backend kit).
       */
      runsPerMinute?: number;
    };
    /**
     * Backup policies by name; entities name one with the annotation
     * `platform-portal.dev/backup-policy`. Built in (and overridable field by
     * field): `postgres-daily`, `redis-daily`, `volumes-daily`, `config-daily`.
     * A field left out takes the built-in value of the same policy, or for a
     * new name the default stated on the field.
     *
     * Durations are a HumanDuration object (`{ hours: 24 }`), an ISO 8601
     * duration (`P1D`) or an ms-style string (`24h`, `30d`).
     */
    policies?: {
      [name: string]: {
        /** Cron expression of the backup schedule, informational. Default `0 2 * * *` (02:00 UTC). */
        schedule?: string;
        /** Recovery point objective: max age of the last good backup. Default 24h. */
        rpo?: HumanDuration | string;
        /** How long backups are kept. Default 30d (redis-daily: 7d). */
        retention?: HumanDuration | string;
        /** How often a restore test must succeed. Default 7d. */
        restoreTestInterval?: HumanDuration | string;
        /** Recovery time objective: max restore duration. Default 2h (redis-daily: 1h). */
        rto?: HumanDuration | string;
        /** Lateness past a deadline that is a warning before it becomes critical. Default 2h. */
        grace?: HumanDuration | string;
        /**
         * The backup size check: a successful backup under `minRatio` of the
         * median size of the previous `window` successful ones is a warning
         * (`size_anomaly`); an empty one (0 bytes) is critical.
         */
        anomaly?: {
          /** Fraction of the median below which a backup is a warning, 0 (off) to 1. Default 0.5. */
          minRatio?: number;
          /** How many previous successful backups the median is over, 1 to 100. Default 7. */
          window?: number;
        };
      };
    };
    /** Scheduled backup sources added by backend modules. */
    sources?: {
      /**
       * When every source scans (the scheduler's format). Default: every 15
       * minutes, timeout 10 minutes, first scan 30 s after start.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Short form of `schedule.frequency`, with the other defaults. Default 15 minutes. */
      frequency?: HumanDuration | string;
    };
    retention?: {
      /**
       * Backup runs that finished more than this many days ago are deleted;
       * the latest run of each entity, type and status stays however old
       * (the status needs the last good backup and the last restore test).
       * At least 31 (the status window). Default: 365.
       */
      days?: number;
      /** When to delete them (scope global). Default: once a day. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Demo data. */
    demo?: {
      /**
       * When true, feeds ~30 days of generated runs (tool `demo`) for every
       * policy-bearing entity 20 s after start and every 5 minutes (idempotent), unless real runs exist.
       * Default false.
       */
      enabled?: boolean;
    };
  };
}
