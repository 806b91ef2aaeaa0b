import { mockServices } from '@backstage/backend-test-utils';
import { MetricsWarmUp } from './MetricsWarmUp';

const SCHEDULE = { frequency: { seconds: 30 }, timeout: { minutes: 2 } };

function setup(options: {
  windows: number[];
  warmMetrics: () => Promise<{ durationMs: number }>;
  warmUpTimeoutMs?: number;
}) {
  const lifecycle = mockServices.lifecycle.mock();
  const scheduler = mockServices.scheduler.mock();
  const logger = mockServices.logger.mock();
  const warmMetrics = jest.fn(options.warmMetrics);
  const warmUp = new MetricsWarmUp({
    deployments: { warmMetrics },
    windows: options.windows,
    logger,
    warmUpTimeoutMs: options.warmUpTimeoutMs,
  });
  const start = () =>
    warmUp.start({ lifecycle, scheduler, schedule: SCHEDULE });
  const startupHook = () =>
    lifecycle.addStartupHook.mock.calls[0][0] as () => Promise<void>;
  return { start, startupHook, lifecycle, scheduler, logger, warmMetrics };
}

describe('MetricsWarmUp', () => {
  it('computes the windows in a startup hook, then on every replica on its schedule', async () => {
    const t = setup({
      windows: [30, 365],
      warmMetrics: async () => ({ durationMs: 12 }),
    });
    await t.start();
    expect(t.warmMetrics).not.toHaveBeenCalled(); // not before the start
    await t.startupHook()();
    expect(t.warmMetrics).toHaveBeenCalledWith([30, 365]);
    expect(t.scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'platform-deploy:metrics-warm-up',
        scope: 'local',
        frequency: { seconds: 30 },
      }),
    );
    await t.scheduler.scheduleTask.mock.calls[0][0].fn(
      new AbortController().signal,
    );
    expect(t.warmMetrics).toHaveBeenCalledTimes(2);
  });

  it('does nothing without windows', async () => {
    const t = setup({
      windows: [],
      warmMetrics: async () => ({ durationMs: 0 }),
    });
    await t.start();
    expect(t.lifecycle.addStartupHook).not.toHaveBeenCalled();
    expect(t.scheduler.scheduleTask).not.toHaveBeenCalled();
  });

  it('logs a failure instead of failing the start, and stops waiting after the timeout', async () => {
    const failing = setup({
      windows: [30],
      warmMetrics: async () => {
        throw new Error('database gone');
      },
    });
    await failing.start();
    await expect(failing.startupHook()()).resolves.toBeUndefined();
    expect(failing.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('database gone'),
      { trigger: 'start' },
    );

    const slow = setup({
      windows: [30],
      warmMetrics: () => new Promise(() => {}),
      warmUpTimeoutMs: 20,
    });
    await slow.start();
    await expect(slow.startupHook()()).resolves.toBeUndefined();
    expect(slow.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('not ready after 20 ms'),
    );
  });
});
