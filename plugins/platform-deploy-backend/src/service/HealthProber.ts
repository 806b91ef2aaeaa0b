import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import pLimit from 'p-limit';
import { DeploymentStore } from '../database/DeploymentStore';
import { nextHealth } from '../domain/health';

/** The id of the scheduled task. */
export const HEALTH_PROBE_TASK_ID = 'platform-deploy-health-probe';

export type ProbeResult = {
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  error?: string;
};

/** One GET with a timeout; 2xx and 3xx count as up. No retries: the next cadence is the retry. */
export async function probe(
  url: string,
  timeoutMs: number,
): Promise<ProbeResult> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return {
      ok: res.status >= 200 && res.status < 400,
      statusCode: res.status,
      latencyMs: Date.now() - started,
    };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Date.now() - started,
      error: (error as Error).name,
    };
  }
}

/**
 * Probes the health URL of every deployable entity in every environment,
 * with bounded concurrency, and records up/down in the store by the rule of
 * `domain/health.ts`: a service is `down` after `downAfterFailures`
 * consecutive failed probes.
 */
export class HealthProber {
  constructor(
    private readonly options: {
      store: DeploymentStore;
      logger: LoggerService;
      timeoutMs: number;
      concurrency: number;
      downAfterFailures: number;
    },
  ) {}

  /** Schedules {@link HealthProber.probeAll} on one replica at a time. */
  async schedule(
    scheduler: SchedulerService,
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: HEALTH_PROBE_TASK_ID,
      ...schedule,
      scope: 'global',
      fn: async () => {
        const result = await this.probeAll();
        this.options.logger.debug('Probed health URLs', result);
      },
    });
  }

  async probeAll(
    now = new Date(),
  ): Promise<{ probed: number; failed: number }> {
    const { store, logger, timeoutMs, concurrency, downAfterFailures } =
      this.options;
    const limit = pLimit(concurrency);
    const targets = (await store.listEntities()).flatMap(entity =>
      Object.entries(entity.healthUrls).map(([environment, url]) => ({
        entityRef: entity.entityRef,
        environment,
        url,
      })),
    );
    const results = await Promise.all(
      targets.map(target =>
        limit(async () => {
          const result = await probe(target.url, timeoutMs);
          const health = await store.recordHealth({
            entityRef: target.entityRef,
            environment: target.environment,
            statusCode: result.statusCode,
            latencyMs: result.latencyMs,
            checkedAt: now,
            next: previous => nextHealth(previous, result, downAfterFailures),
          });
          if (health === 'down') {
            logger.warn('Service is down', {
              entityRef: target.entityRef,
              environment: target.environment,
              statusCode: result.statusCode,
              error: result.error,
            });
          }
          return result;
        }),
      ),
    );
    return {
      probed: results.length,
      failed: results.filter(r => !r.ok).length,
    };
  }
}
