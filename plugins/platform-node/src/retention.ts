import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

const DAY_MS = 24 * 3600 * 1000;

/** What a {@link RetentionTask} deletes, and how. @public */
export interface RetentionTaskOptions {
  /** The scheduled task's id, e.g. `platform-deploy-retention`. */
  taskId: string;
  /** What is deleted, for the log line, e.g. `deployment events`. */
  what: string;
  /** Rows older than this many days are deleted. */
  days: number;
  /**
   * Deletes the rows older than `before` (in short batches, stopping when the
   * signal aborts) and says how many it deleted.
   */
  deleteBefore(
    before: Date,
    options: { signal?: AbortSignal },
  ): Promise<number>;
  /** Where the run's line (how many rows, the cut-off) goes. */
  logger: LoggerService;
  /** The clock; tests pass their own. */
  now?: () => Date;
}

/**
 * A retention job on the Backstage scheduler (scope global: one replica runs
 * it per cadence): each run deletes what is older than `days` through the
 * store's own `deleteBefore`, and logs how many rows went. The plugins say
 * what they keep however old (the current state, the latest run) in their
 * stores.
 *
 * @public
 */
export class RetentionTask {
  constructor(private readonly options: RetentionTaskOptions) {}

  /** Schedules {@link RetentionTask.run} on one replica at a time. */
  async schedule(
    scheduler: SchedulerService,
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: this.options.taskId,
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
    const { logger, days, what } = this.options;
    const now = this.options.now?.() ?? new Date();
    const before = new Date(now.getTime() - days * DAY_MS);
    const deleted = await this.options.deleteBefore(before, {
      signal: options.signal,
    });
    logger.info(`Deleted ${what} past retention`, {
      deleted,
      before: before.toISOString(),
      days,
      aborted: options.signal?.aborted ?? false,
    });
    return { deleted, before };
  }
}
