import { mockServices } from '@backstage/backend-test-utils';
import { MetricsSnapshots } from './MetricsSnapshots';

describe('MetricsSnapshots', () => {
  let clock = 0;
  /** A computation that takes `ms` on the test clock and counts its runs. */
  function computation(ms: number) {
    let runs = 0;
    return {
      runs: () => runs,
      compute: async () => {
        runs += 1;
        clock += ms;
        return runs;
      },
    };
  }
  const snapshots = () =>
    new MetricsSnapshots<number>({
      logger: mockServices.logger.mock(),
      slowMs: 200,
      refreshAfterMs: 20_000,
      maxAgeMs: 60_000,
      now: () => clock,
    });

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('computes fast answers on every request', async () => {
    const s = snapshots();
    const c = computation(50);
    expect(await s.get('k', c.compute)).toBe(1);
    expect(await s.get('k', c.compute)).toBe(2);
  });

  it('keeps slow answers, refreshes them in the background, and never serves one past its maximum age', async () => {
    const s = snapshots();
    const c = computation(500);
    expect(await s.get('k', c.compute)).toBe(1);
    clock += 10_000;
    expect(await s.get('k', c.compute)).toBe(1); // kept
    expect(c.runs()).toBe(1);
    clock += 15_000; // 25 s old: served, refreshed behind it
    expect(await s.get('k', c.compute)).toBe(1);
    await new Promise(r => setImmediate(r));
    expect(c.runs()).toBe(2);
    expect(await s.get('k', c.compute)).toBe(2);
    clock += 61_000; // too old: the request waits for a fresh one
    expect(await s.get('k', c.compute)).toBe(3);
    expect(await s.get('other', c.compute)).toBe(4); // keys apart
  });

  it('keeps a refreshed key however fast it computed', async () => {
    const s = snapshots();
    const c = computation(5);
    await s.refresh('warm', c.compute);
    expect(await s.get('warm', c.compute)).toBe(1); // from memory
    expect(c.runs()).toBe(1);
    clock += 61_000; // a warm key past its maximum age computes again
    expect(await s.get('warm', c.compute)).toBe(2);
    expect(await s.get('warm', c.compute)).toBe(2); // and is kept again
    expect(await s.get('cold', c.compute)).toBe(3); // fast, not warmed: not kept
    expect(await s.get('cold', c.compute)).toBe(4);
  });

  it('runs one computation for concurrent requests', async () => {
    const s = snapshots();
    const c = computation(500);
    const answers = await Promise.all([
      s.get('k', c.compute),
      s.get('k', c.compute),
    ]);
    expect(answers).toEqual([1, 1]);
    expect(c.runs()).toBe(1);
  });
});
