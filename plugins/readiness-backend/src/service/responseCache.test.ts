import { gunzipSync } from 'node:zlib';
import { createResponseCache } from './responseCache';

describe('createResponseCache', () => {
  it('builds once, serves the JSON and its gzip, waits for a rebuild after invalidate and serves stale past the TTL', async () => {
    let n = 0;
    let clock = 0;
    const cache = createResponseCache({
      load: async () => ({ n: ++n }),
      ttlMs: 1000,
      now: () => clock,
    });
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toBe(b); // concurrent readers share one build
    expect(JSON.parse(a.json.toString())).toEqual({ n: 1 });
    expect(JSON.parse(gunzipSync(a.gzip).toString())).toEqual({ n: 1 });
    expect(a.etag).toMatch(/^"[\w-]+"$/);
    expect((await cache.get()).value).toEqual({ n: 1 });

    // an evaluation on this replica: the next read has its results
    cache.invalidate();
    const fresh = await cache.get();
    expect(fresh.value).toEqual({ n: 2 });
    expect(fresh.etag).not.toBe(a.etag);

    // past the TTL: served once more while the next one builds
    clock = 1500;
    expect((await cache.get()).value).toEqual({ n: 2 });
    await new Promise(r => setImmediate(r));
    expect((await cache.get()).value).toEqual({ n: 3 });
  });

  it('builds again after a failed build', async () => {
    let fail = true;
    const cache = createResponseCache({
      load: async () => {
        if (fail) throw new Error('database down');
        return { ok: true };
      },
    });
    await expect(cache.get()).rejects.toThrow('database down');
    fail = false;
    expect((await cache.get()).value).toEqual({ ok: true });
  });
});
