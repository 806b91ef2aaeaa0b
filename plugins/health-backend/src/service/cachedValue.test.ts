import { createCachedValue } from './cachedValue';

/** A load that counts its calls and resolves when told to. */
function controlledLoad<T>() {
  const pending: Array<{ resolve: (v: T) => void; reject: (e: any) => void }> =
    [];
  const load = jest.fn(
    () =>
      new Promise<T>((resolve, reject) => pending.push({ resolve, reject })),
  );
  return { load, pending };
}

const flush = () => new Promise(resolve => setImmediate(resolve));

describe('createCachedValue', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000;
  });

  it('shares one load between concurrent readers and reuses it within the TTL', async () => {
    const { load, pending } = controlledLoad<string>();
    const cached = createCachedValue({ load, ttlMs: 100, now });
    const first = cached.get();
    const second = cached.get();
    expect(load).toHaveBeenCalledTimes(1);
    pending[0].resolve('a');
    expect(await first).toBe('a');
    expect(await second).toBe('a');
    clock += 99;
    expect(await cached.get()).toBe('a');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('serves an expired value while one load refreshes it in the background', async () => {
    const { load, pending } = controlledLoad<string>();
    const cached = createCachedValue({ load, ttlMs: 100, now });
    const first = cached.get();
    pending[0].resolve('a');
    await first;
    clock += 100;
    expect(await cached.get()).toBe('a');
    expect(await cached.get()).toBe('a');
    expect(load).toHaveBeenCalledTimes(2);
    pending[1].resolve('b');
    await flush();
    expect(await cached.get()).toBe('b');
  });

  it('waits for a fresh value once the expired one is older than its bound', async () => {
    const { load, pending } = controlledLoad<string>();
    const cached = createCachedValue({ load, ttlMs: 100, maxStaleMs: 50, now });
    const first = cached.get();
    pending[0].resolve('a');
    await first;
    clock += 149; // within the bound: served, refreshed behind it
    expect(await cached.get()).toBe('a');
    pending[1].resolve('b');
    await flush();
    clock += 150; // 'b' is 150 ms old: past TTL and bound, waited for
    const waited = cached.get();
    expect(load).toHaveBeenCalledTimes(3);
    pending[2].resolve('c');
    expect(await waited).toBe('c');
  });

  it('waits after invalidate for a load that started after it', async () => {
    const { load, pending } = controlledLoad<string>();
    const cached = createCachedValue({ load, ttlMs: 100, now });
    const first = cached.get();
    // a write while the first load runs: its result is outdated
    cached.invalidate();
    const second = cached.get();
    expect(load).toHaveBeenCalledTimes(2);
    pending[0].resolve('before the write');
    pending[1].resolve('after the write');
    expect(await first).toBe('before the write');
    expect(await second).toBe('after the write');
    expect(await cached.get()).toBe('after the write');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('loads again a value it may not reuse (an empty catalog at start)', async () => {
    const { load, pending } = controlledLoad<string[]>();
    const cached = createCachedValue({
      load,
      ttlMs: 100,
      now,
      reuse: value => value.length > 0,
    });
    const first = cached.get();
    pending[0].resolve([]);
    expect(await first).toEqual([]);
    const second = cached.get();
    expect(load).toHaveBeenCalledTimes(2);
    pending[1].resolve(['component:default/chat-backend']);
    expect(await second).toEqual(['component:default/chat-backend']);
  });

  it('rejects a waited-for load and keeps the expired value when a background load fails', async () => {
    const { load, pending } = controlledLoad<string>();
    const onBackgroundError = jest.fn();
    const cached = createCachedValue({
      load,
      ttlMs: 100,
      now,
      onBackgroundError,
    });
    const first = cached.get();
    pending[0].reject(new Error('catalog down'));
    await expect(first).rejects.toThrow('catalog down');
    const second = cached.get();
    pending[1].resolve('a');
    expect(await second).toBe('a');
    clock += 100;
    expect(await cached.get()).toBe('a');
    pending[2].reject(new Error('catalog down again'));
    await flush();
    expect(onBackgroundError).toHaveBeenCalledWith(
      new Error('catalog down again'),
    );
    expect(await cached.get()).toBe('a');
    expect(load).toHaveBeenCalledTimes(4);
  });
});
