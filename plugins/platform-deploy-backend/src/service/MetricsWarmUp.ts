import {
  LifecycleService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { addWarmUpHook } from '@platform-portal/backstage-plugin-platform-node';
import { DeploymentService } from './types';

/** How long the start waits for the warm-up before it goes on without it. */
export const DEFAULT_WARM_UP_TIMEOUT_MS = 30_000;

/**
 * Keeps the whole estate's deployment metrics of the configured windows
 * computed ahead of the requests (`platformDeploy.metrics.warmWindows`): at
 * start (a startup hook, so the backend reports ready once a dashboard's
 * first request is served from memory) and on every `schedule` on every
 * replica (scope local: each keeps its own answers). The scan of every event
 * in a long window (1.7 s for 365 days of 10,000 services) then never runs
 * on a request; smaller scopes compute in SQL on the request.
 */
export class MetricsWarmUp {
  constructor(
    private readonly options: {
      deployments: Pick<DeploymentService, 'warmMetrics'>;
      windows: number[];
      logger: LoggerService;
      /** Default: {@link DEFAULT_WARM_UP_TIMEOUT_MS}. */
      warmUpTimeoutMs?: number;
    },
  ) {}

  /** Computes the windows once; a failure is logged, not thrown. */
  async run(trigger: 'start' | 'refresh'): Promise<void> {
    const { deployments, windows, logger } = this.options;
    try {
      const { durationMs } = await deployments.warmMetrics(windows);
      if (trigger === 'start' || durationMs > 1000) {
        logger.info('Computed the estate deployment metrics', {
          trigger,
          windows: windows.join(','),
          durationMs,
        });
      }
    } catch (error) {
      logger.warn(`Could not compute the estate deployment metrics: ${error}`, {
        trigger,
      });
    }
  }

  /** The warm-up at start and then on `schedule`; nothing without windows. */
  async start(options: {
    lifecycle: LifecycleService;
    scheduler: SchedulerService;
    schedule: SchedulerServiceTaskScheduleDefinition;
  }): Promise<void> {
    if (this.options.windows.length === 0) return;
    addWarmUpHook({
      lifecycle: options.lifecycle,
      logger: this.options.logger,
      what: 'The estate deployment metrics',
      timeoutMs: this.options.warmUpTimeoutMs ?? DEFAULT_WARM_UP_TIMEOUT_MS,
      warm: () => this.run('start'),
    });
    await options.scheduler.scheduleTask({
      id: 'platform-deploy:metrics-warm-up',
      ...options.schedule,
      scope: 'local',
      fn: () => this.run('refresh'),
    });
  }
}
