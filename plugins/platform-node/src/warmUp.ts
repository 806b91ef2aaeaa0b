import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';

/**
 * How long a start waits for a warm-up before it goes on without it.
 *
 * @public
 */
export const DEFAULT_WARM_UP_TIMEOUT_MS = 60_000;

/**
 * Runs `warm` in a startup hook of the plugin, so that the backend reports
 * ready only once a first request can be served from what it built (a
 * snapshot, a cache) instead of building it. The start waits at most
 * `timeoutMs`; then it goes on, the warm-up still running behind it, and a
 * warning says so. `warm` handles its own errors (a failed warm-up leaves the
 * first request to build, as without one).
 *
 * @public
 */
export function addWarmUpHook(options: {
  lifecycle: LifecycleService;
  logger: LoggerService;
  /** What is warmed, for the warning: `the backup status snapshot`. */
  what: string;
  warm: () => Promise<void>;
  /** Default: {@link DEFAULT_WARM_UP_TIMEOUT_MS}. */
  timeoutMs?: number;
}): void {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WARM_UP_TIMEOUT_MS;
  options.lifecycle.addStartupHook(async () => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(resolve => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([options.warm(), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      options.logger.warn(
        `${options.what} is not ready after ${timeoutMs} ms; starting without waiting for it`,
      );
    }
  });
}
