import {
  LifecycleService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { addWarmUpHook } from '@platform-portal/backstage-plugin-platform-node';
import { BackupStatusService } from './types';

/**
 * Keeps the overview's status snapshot built ahead of the requests: a
 * warm-up at start (a startup hook of the plugin, so the backend reports
 * ready only once the first request can be served from it) and a rebuild
 * every `schedule` on every replica (scope local: each holds its own
 * snapshot), so no request waits for a build.
 */
export class StatusSnapshotRefresh {
  constructor(
    private readonly options: {
      service: Pick<BackupStatusService, 'refreshSnapshot'>;
      logger: LoggerService;
      /** Default: platform-node's `DEFAULT_WARM_UP_TIMEOUT_MS` (60 s). */
      warmUpTimeoutMs?: number;
    },
  ) {}

  /**
   * Builds the snapshot once and logs how long it took; a failure is
   * logged, not thrown (the next refresh, or the first request, builds).
   */
  async run(trigger: 'start' | 'refresh'): Promise<void> {
    const { service, logger } = this.options;
    try {
      const { entities, durationMs } = await service.refreshSnapshot();
      logger.info('Built the backup status snapshot', {
        trigger,
        entities,
        durationMs,
      });
    } catch (error) {
      logger.warn(`Could not build the backup status snapshot: ${error}`, {
        trigger,
      });
    }
  }

  /**
   * The warm-up in a startup hook: the start waits for it, at most the
   * timeout (then the build goes on and the start does not wait longer).
   */
  warmUpOnStart(lifecycle: LifecycleService): void {
    addWarmUpHook({
      lifecycle,
      logger: this.options.logger,
      what: 'The backup status snapshot',
      timeoutMs: this.options.warmUpTimeoutMs,
      warm: () => this.run('start'),
    });
  }

  /** The periodic rebuild, on every replica. */
  async schedule(
    scheduler: SchedulerService,
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: 'backup-status:status-snapshot',
      ...schedule,
      scope: 'local',
      fn: () => this.run('refresh'),
    });
  }
}
