import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

/** A response body built once and served to every reader: JSON, gzipped, and its ETag. */
export interface CachedBody<T> {
  value: T;
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

/** A value with its JSON, gzipped, and its ETag. */
function toCachedBody<T>(value: T): CachedBody<T> {
  const json = Buffer.from(JSON.stringify(value));
  return {
    value,
    json,
    gzip: gzipSync(json),
    etag: `"${createHash('sha1').update(json).digest('base64url')}"`,
  };
}

/**
 * Caches what `load` builds (the overview of every entity: one query of the
 * store, then 2 MB of JSON at 10,000 entities) and its encodings, so that a
 * read costs no query, no serialization and no compression. After
 * `invalidate()` (this replica stored an evaluation) the next read waits for
 * a new build; after `ttlMs` (another replica may have) it is served once
 * more while a new one builds.
 */
export function createResponseCache<T>(options: {
  load: () => Promise<T>;
  ttlMs?: number;
  now?: () => number;
  /**
   * Whether a built value is served again; default: always. The overview
   * before the first evaluation is empty: building it again is cheap, and
   * kept (by the warm-up at start) it would hide another replica's first
   * evaluation until its TTL.
   */
  reuse?: (value: T) => boolean;
}) {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: { body: CachedBody<T>; at: number } | undefined;
  let building: Promise<CachedBody<T>> | undefined;
  let stale = true;

  const build = () => {
    if (!building) {
      stale = false;
      const at = now();
      building = options
        .load()
        .then(value => {
          const body = toCachedBody(value);
          cached = { body, at };
          return body;
        })
        .finally(() => {
          building = undefined;
        });
    }
    return building;
  };

  return {
    async get(): Promise<CachedBody<T>> {
      if (!cached || stale) return build();
      if (options.reuse && !options.reuse(cached.body.value)) return build();
      if (now() - cached.at >= ttlMs) {
        build().catch(() => undefined);
      }
      return cached.body;
    },
    invalidate() {
      stale = true;
    },
  };
}

/** One response cache per key (a trend per number of days), at most `maxKeys` of them. */
export function createKeyedResponseCache<K, T>(options: {
  load: (key: K) => Promise<T>;
  maxKeys?: number;
  ttlMs?: number;
}) {
  const caches = new Map<K, ReturnType<typeof createResponseCache<T>>>();
  return {
    get(key: K): Promise<CachedBody<T>> {
      let cache = caches.get(key);
      if (!cache) {
        if (caches.size >= (options.maxKeys ?? 16)) caches.clear();
        cache = createResponseCache({
          load: () => options.load(key),
          ttlMs: options.ttlMs,
        });
        caches.set(key, cache);
      }
      return cache.get();
    },
    invalidate() {
      caches.clear();
    },
  };
}

/**
 * A body made from another cache's value (the summary from the overview):
 * made again, once, whenever that cache serves another body, so the two
 * never disagree and this one needs no TTL or invalidation of its own.
 */
export function createDerivedResponse<S, T>(
  source: { get(): Promise<CachedBody<S>> },
  derive: (value: S) => T,
) {
  let last: { from: CachedBody<S>; body: CachedBody<T> } | undefined;
  return {
    async get(): Promise<CachedBody<T>> {
      const from = await source.get();
      if (last?.from !== from) {
        last = { from, body: toCachedBody(derive(from.value)) };
      }
      return last.body;
    },
  };
}
