import { gunzipSync } from 'node:zlib';
import { createDerivedResponse, createResponseCache } from './responseCache';

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

  it('builds again on every read while the value may not be reused', async () => {
    let items: string[] = [];
    let loads = 0;
    const cache = createResponseCache({
      load: async () => {
        loads += 1;
        return { items };
      },
      reuse: value => value.items.length > 0,
    });
    expect((await cache.get()).value).toEqual({ items: [] });
    // another replica's first evaluation shows at once, within the TTL
    items = ['component:default/chat-backend'];
    expect((await cache.get()).value).toEqual({ items });
    expect(loads).toBe(2);
    // a value that may be reused is, until its TTL
    items = [];
    expect((await cache.get()).value).toEqual({
      items: ['component:default/chat-backend'],
    });
    expect(loads).toBe(2);
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

describe('createDerivedResponse', () => {
  it('derives once per body of its source, and again when the source serves another', async () => {
    let n = 0;
    const source = createResponseCache({ load: async () => ({ n: ++n }) });
    const derive = jest.fn((value: { n: number }) => ({ twice: value.n * 2 }));
    const derived = createDerivedResponse(source, derive);
    const first = await derived.get();
    expect(first.value).toEqual({ twice: 2 });
    expect(JSON.parse(gunzipSync(first.gzip).toString())).toEqual({ twice: 2 });
    expect(await derived.get()).toBe(first);
    expect(derive).toHaveBeenCalledTimes(1);
    source.invalidate();
    expect((await derived.get()).value).toEqual({ twice: 4 });
    expect(derive).toHaveBeenCalledTimes(2);
  });
});
