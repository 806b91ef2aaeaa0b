import { LoggerService } from '@backstage/backend-plugin-api';

/** A computed answer and when it was computed. */
type Snapshot<T> = { value: T; computedAt: number; refreshing: boolean };

/**
 * Keeps the metrics of a scope whose computation is slow (the whole estate
 * over a long window: a scan and sort of every event in it) for a short
 * while, so that a dashboard does not rescan the events on every load.
 *
 * - A computation faster than `slowMs` is not kept: small scopes (an
 *   entity, a system, a small estate) are computed on every request.
 * - A kept answer is served while younger than `maxAgeMs`; once older than
 *   `refreshAfterMs` the next request starts one recomputation in the
 *   background and is still served the kept answer. Past `maxAgeMs` a
 *   request waits for a fresh one. An answer is thus at most `maxAgeMs`
 *   old, and says so: its window ends when it was computed.
 * - Concurrent requests for a key wait on one computation.
 * - `refresh(key)` computes ahead of requests (the warm-up of the scopes a
 *   dashboard asks for): such a key is kept however fast it computed.
 */
export class MetricsSnapshots<T> {
  private readonly snapshots = new Map<string, Snapshot<T>>();
  private readonly pending = new Map<string, Promise<T>>();
  /** Keys computed ahead of requests: kept even when fast. */
  private readonly warm = new Set<string>();
  private readonly slowMs: number;
  private readonly maxAgeMs: number;
  private readonly refreshAfterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly options: {
      logger: LoggerService;
      /**
       * Computations at least this long are kept; default 50 ms, the
       * target of the metrics' p95 (issue 19).
       */
      slowMs?: number;
      /** Oldest answer served; default 60 s. */
      maxAgeMs?: number;
      /** Age from which a request refreshes in the background; default 20 s. */
      refreshAfterMs?: number;
      /** The clock in ms; tests pass their own. */
      now?: () => number;
    },
  ) {
    this.slowMs = options.slowMs ?? 50;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.refreshAfterMs = options.refreshAfterMs ?? 20_000;
    this.now = options.now ?? Date.now;
  }

  /** The answer for `key`: kept if fresh enough, else `compute()`d. */
  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const kept = this.snapshots.get(key);
    const age = kept ? this.now() - kept.computedAt : Infinity;
    if (kept && age < this.maxAgeMs) {
      if (age >= this.refreshAfterMs && !kept.refreshing) {
        kept.refreshing = true;
        this.run(key, compute).catch(error => {
          kept.refreshing = false;
          this.options.logger.warn('Could not refresh deployment metrics', {
            key,
            error: String(error),
          });
        });
      }
      return kept.value;
    }
    return this.run(key, compute);
  }

  /**
   * Computes `key` now and keeps it, however long it took: the scopes a
   * dashboard asks for, kept fresh ahead of its requests. Waits on a
   * computation of the key already under way instead of starting another.
   */
  async refresh(key: string, compute: () => Promise<T>): Promise<void> {
    this.warm.add(key);
    await this.run(key, compute);
  }

  private run(key: string, compute: () => Promise<T>): Promise<T> {
    const running = this.pending.get(key);
    if (running) return running;
    const started = this.now();
    const promise = compute()
      .then(value => {
        const computedAt = this.now();
        if (this.warm.has(key) || computedAt - started >= this.slowMs) {
          this.snapshots.set(key, { value, computedAt, refreshing: false });
        } else {
          this.snapshots.delete(key);
        }
        return value;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }
}
