import { LoggerService } from '@backstage/backend-plugin-api';
import { RetentionTask } from '@platform-portal/backstage-plugin-platform-node';
import { BackupStore } from '../database/BackupStore';

/** The id of the scheduled task. */
export const RETENTION_TASK_ID = 'backup-status:retention';

/**
 * Retention of `backup_runs`: deletes the runs that finished more than
 * `days` ago (default 365), in short batches, stopping when the task's
 * signal aborts. The latest run of each entity, type and status stays
 * however old (the store's rule), so an entity whose last good backup or
 * restore test is older than the retention keeps its status (critical,
 * with the age of that backup); its run list reaches back `days`.
 */
export class BackupRunRetention extends RetentionTask {
  constructor(options: {
    store: BackupStore;
    logger: LoggerService;
    days: number;
    /** The clock; tests pass their own. */
    now?: () => Date;
  }) {
    super({
      taskId: RETENTION_TASK_ID,
      what: 'backup runs',
      days: options.days,
      logger: options.logger,
      now: options.now,
      deleteBefore: (before, o) => options.store.deleteRunsBefore(before, o),
    });
  }
}
