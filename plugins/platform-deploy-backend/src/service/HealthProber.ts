import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import pLimit from 'p-limit';
import { DeploymentStore } from '../database/DeploymentStore';
import { nextHealth } from '../domain/health';
import { AllowedHosts, Lookup, probe } from './probe';

/** The id of the scheduled task. */
export const HEALTH_PROBE_TASK_ID = 'platform-deploy-health-probe';

/** What one run did. */
export type ProbeRun = {
  /** Probes made (and recorded). */
  probed: number;
  /** Of those, the ones that failed. */
  failed: number;
  /** Probes not made: a URL that is not http(s) or an address inside. */
  refused: number;
  /** Whether the task's signal stopped the run before every target was probed. */
  aborted: boolean;
};

/** A schedule's duration in ms (luxon `Duration` or `HumanDuration`). */
function toMs(duration: unknown): number {
  const luxon = duration as { toMillis?: () => number };
  return typeof luxon.toMillis === 'function'
    ? luxon.toMillis()
    : durationToMilliseconds(duration as HumanDuration);
}

/**
 * Throws when one probe could outlast the cadence or the task's timeout:
 * then the task's lock expires mid-run and another replica starts an
 * overlapping run. A cron or manual cadence is checked against the timeout
 * only.
 */
export function validateProbeSchedule(
  timeoutMs: number,
  schedule: SchedulerServiceTaskScheduleDefinition,
): void {
  const { frequency } = schedule;
  if (!('cron' in frequency) && !('trigger' in frequency)) {
    const cadenceMs = toMs(frequency);
    if (timeoutMs >= cadenceMs) {
      throw new Error(
        `platformDeploy.healthProbe.timeoutMs (${timeoutMs} ms) must be shorter than the probe cadence, platformDeploy.healthProbe.schedule.frequency (${cadenceMs} ms)`,
      );
    }
  }
  const taskTimeoutMs = toMs(schedule.timeout);
  if (timeoutMs >= taskTimeoutMs) {
    throw new Error(
      `platformDeploy.healthProbe.timeoutMs (${timeoutMs} ms) must be shorter than the task's timeout, platformDeploy.healthProbe.schedule.timeout (${taskTimeoutMs} ms)`,
    );
  }
}

/**
 * Probes the health URL of every deployable entity from a trusted location
 * in every environment, with bounded concurrency, and records up/down in the
 * store by the rule of `domain/health.ts`: a service is `down` after
 * `downAfterFailures` consecutive failed probes. Entities that any user
 * registered elsewhere are never probed, and no probe reaches an address
 * inside unless its host is allowlisted (`./probe.ts`); a refused probe is
 * logged and records nothing. When the task's signal aborts (its timeout,
 * a shutdown), no further probe starts and the ones in flight are cancelled.
 */
export class HealthProber {
  constructor(
    private readonly options: {
      store: DeploymentStore;
      logger: LoggerService;
      timeoutMs: number;
      concurrency: number;
      downAfterFailures: number;
      /** Hosts exempt from the address check. Default: none. */
      allowedHosts?: AllowedHosts;
      /** How names resolve; tests pass their own. Default: `dns.lookup`. */
      lookup?: Lookup;
    },
  ) {}

  /**
   * Schedules {@link HealthProber.probeAll} on one replica at a time, after
   * checking that one probe's timeout is shorter than the cadence and the
   * task's timeout.
   */
  async schedule(
    scheduler: SchedulerService,
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): Promise<void> {
    validateProbeSchedule(this.options.timeoutMs, schedule);
    await scheduler.scheduleTask({
      id: HEALTH_PROBE_TASK_ID,
      ...schedule,
      scope: 'global',
      fn: async signal => {
        const result = await this.probeAll({ signal });
        this.options.logger.debug('Probed health URLs', result);
      },
    });
  }

  async probeAll(
    options: { now?: Date; signal?: AbortSignal } = {},
  ): Promise<ProbeRun> {
    const { store, logger, timeoutMs, concurrency, downAfterFailures } =
      this.options;
    const { signal } = options;
    const now = options.now ?? new Date();
    const limit = pLimit(concurrency);
    const targets = (await store.listEntities({ trustedOnly: true })).flatMap(
      entity =>
        Object.entries(entity.healthUrls).map(([environment, url]) => ({
          entityRef: entity.entityRef,
          environment,
          url,
        })),
    );
    const outcomes = await Promise.all(
      targets.map(target =>
        limit(async (): Promise<'ok' | 'failed' | 'refused' | 'skipped'> => {
          if (signal?.aborted) return 'skipped';
          const result = await probe(target.url, {
            timeoutMs,
            allowedHosts: this.options.allowedHosts,
            lookup: this.options.lookup,
            signal,
          });
          if (result.refused) {
            logger.warn('Refused to probe a health URL', {
              entityRef: target.entityRef,
              environment: target.environment,
              url: target.url,
              reason: result.refused,
            });
            return 'refused';
          }
          // cancelled by the task's signal: says nothing about the service
          if (signal?.aborted) return 'skipped';
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
          return result.ok ? 'ok' : 'failed';
        }),
      ),
    );
    const count = (o: string) => outcomes.filter(x => x === o).length;
    const run: ProbeRun = {
      probed: count('ok') + count('failed'),
      failed: count('failed'),
      refused: count('refused'),
      aborted: count('skipped') > 0,
    };
    if (run.aborted) {
      logger.warn('Health probes stopped: the task was aborted', {
        ...run,
        targets: targets.length,
      });
    }
    return run;
  }
}
