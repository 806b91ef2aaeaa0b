import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { BackupStore } from '../database/BackupStore';

/** The id of the scheduled task. */
export const RETENTION_TASK_ID = 'backup-status:retention';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Retention of `backup_runs`: deletes the runs that finished more than
 * `days` ago (default 365), in short batches, stopping when the task's
 * signal aborts. The latest run of each entity, type and status stays
 * however old (the store's rule), so an entity whose last good backup or
 * restore test is older than the retention keeps its status (critical,
 * with the age of that backup); its run list reaches back `days`.
 */
export class BackupRunRetention {
  constructor(
    private readonly options: {
      store: BackupStore;
      logger: LoggerService;
      days: number;
      /** The clock; tests pass their own. */
      now?: () => Date;
    },
  ) {}

  /** Schedules {@link BackupRunRetention.run} on one replica at a time. */
  async schedule(
    scheduler: SchedulerService,
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: RETENTION_TASK_ID,
      ...schedule,
      scope: 'global',
      fn: async signal => {
        await this.run({ signal });
      },
    });
  }

  /** One run: deletes what is past retention; returns how many and the cut-off. */
  async run(
    options: { signal?: AbortSignal } = {},
  ): Promise<{ deleted: number; before: Date }> {
    const { store, logger, days } = this.options;
    const now = this.options.now?.() ?? new Date();
    const before = new Date(now.getTime() - days * DAY_MS);
    const deleted = await store.deleteRunsBefore(before, {
      signal: options.signal,
    });
    logger.info('Deleted backup runs past retention', {
      deleted,
      before: before.toISOString(),
      days,
      aborted: options.signal?.aborted ?? false,
    });
    return { deleted, before };
  }
}
