import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { DeploymentStore } from '../database/DeploymentStore';

/** The id of the scheduled task. */
export const RETENTION_TASK_ID = 'platform-deploy-retention';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Retention of `deploy_events`: deletes the events that happened more than
 * `days` ago (default 365, the longest metrics window), in short batches,
 * stopping when the task's signal aborts. The current state of each entity
 * in each environment is its own table and is kept, so a service deployed
 * once two years ago still shows its live version; its history page and the
 * metrics only reach back `days`.
 */
export class DeployEventRetention {
  constructor(
    private readonly options: {
      store: DeploymentStore;
      logger: LoggerService;
      days: number;
      /** The clock; tests pass their own. */
      now?: () => Date;
    },
  ) {}

  /** Schedules {@link DeployEventRetention.run} on one replica at a time. */
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
    const deleted = await store.deleteEventsBefore(before, {
      signal: options.signal,
    });
    logger.info('Deleted deployment events past retention', {
      deleted,
      before: before.toISOString(),
      days,
      aborted: options.signal?.aborted ?? false,
    });
    return { deleted, before };
  }
}
