/**
 * One value that is expensive to load (every Component of the catalog, the
 * reliability of every service from the stored incidents), shared by the
 * overview's readers of this process.
 */
export interface CachedValue<T> {
  /**
   * The value. A fresh one (younger than the TTL, loaded after the last
   * `invalidate`) is served as it is; an expired one is served while a load
   * runs in the background; none, an invalidated one or one `reuse` refuses
   * is waited for. Concurrent loads are one.
   */
  get(): Promise<T>;
  /** The next `get` waits for a load that starts after this call (a write). */
  invalidate(): void;
}

export function createCachedValue<T>(options: {
  load: () => Promise<T>;
  ttlMs: number;
  /**
   * How long past the TTL an expired value is still served while the next
   * loads; older, a reader waits for a fresh one (default: no bound). A
   * reader after a long quiet spell (a scorecard's retriever every 30 min)
   * gets today's figures, not those of its own last run.
   */
  maxStaleMs?: number;
  /** Whether a loaded value may be reused at all (e.g. not an empty catalog at start). */
  reuse?: (value: T) => boolean;
  /** A background load that failed; the expired value stays. */
  onBackgroundError?: (error: unknown) => void;
  /** The clock, in ms; tests pass their own. */
  now?: () => number;
}): CachedValue<T> {
  const now = options.now ?? Date.now;
  let current: { value: T; at: number; generation: number } | undefined;
  let loading: { generation: number; promise: Promise<T> } | undefined;
  let generation = 0;

  function load(): Promise<T> {
    if (loading && loading.generation === generation) return loading.promise;
    const started = { generation, at: now() };
    const promise = options.load().then(value => {
      if (!current || current.generation <= started.generation) {
        current = { value, at: started.at, generation: started.generation };
      }
      return value;
    });
    const entry = { generation: started.generation, promise };
    loading = entry;
    const done = () => {
      if (loading === entry) loading = undefined;
    };
    promise.then(done, done);
    return promise;
  }

  return {
    async get() {
      const usable =
        current &&
        current.generation === generation &&
        (options.reuse?.(current.value) ?? true);
      if (!usable) return load();
      const age = now() - current!.at;
      if (age < options.ttlMs) return current!.value;
      if (age >= options.ttlMs + (options.maxStaleMs ?? Infinity)) {
        return load();
      }
      load().catch(error => options.onBackgroundError?.(error));
      return current!.value;
    },
    invalidate() {
      generation += 1;
    },
  };
}
