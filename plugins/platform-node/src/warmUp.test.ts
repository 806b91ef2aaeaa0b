import { mockServices } from '@backstage/backend-test-utils';
import { addWarmUpHook } from './warmUp';

describe('addWarmUpHook', () => {
  function setup(warm: () => Promise<void>, timeoutMs?: number) {
    const lifecycle = mockServices.lifecycle.mock();
    const logger = mockServices.logger.mock();
    addWarmUpHook({ lifecycle, logger, what: 'The snapshot', warm, timeoutMs });
    expect(lifecycle.addStartupHook).toHaveBeenCalledTimes(1);
    const hook = lifecycle.addStartupHook.mock
      .calls[0][0] as () => Promise<void>;
    return { hook, logger };
  }

  it('runs the warm-up in a startup hook, which the start waits for', async () => {
    const order: string[] = [];
    const { hook, logger } = setup(async () => {
      order.push('warm started');
      await new Promise(r => setTimeout(r, 20));
      order.push('warm done');
    });
    expect(order).toEqual([]); // not before the start
    await hook();
    order.push('ready');
    expect(order).toEqual(['warm started', 'warm done', 'ready']);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('stops waiting after the timeout, and says what is not ready', async () => {
    let finished = false;
    const { hook, logger } = setup(async () => {
      await new Promise(r => setTimeout(r, 200));
      finished = true;
    }, 20);
    await hook();
    expect(finished).toBe(false); // the start went on; the warm-up goes on behind it
    expect(logger.warn).toHaveBeenCalledWith(
      'The snapshot is not ready after 20 ms; starting without waiting for it',
    );
    await new Promise(r => setTimeout(r, 250));
    expect(finished).toBe(true);
  });
});
