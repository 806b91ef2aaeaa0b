import { LoggerService } from '@backstage/backend-plugin-api';

/** Rows computed at one instant. */
export interface Snapshot<T> {
  /** When the rows were computed (the clock at the start of the build). */
  at: Date;
  rows: T[];
}

/**
 * A cache of one expensive computation (the status of every policy-bearing
 * entity) that readers share.
 */
export interface StatusSnapshot<T> {
  /**
   * The current snapshot. An outdated one (a write since, or older than the
   * TTL) starts a rebuild and is served while that builds; only the first
   * build, or a snapshot far behind the clock (more than twice the TTL),
   * is waited for. With `fresh`, waits for a snapshot that includes every
   * write {@link StatusSnapshot.invalidate} was told about.
   */
  get(options?: { fresh?: boolean }): Promise<Snapshot<T>>;
  /** Marks every snapshot built so far outdated (a write on this replica). */
  invalidate(): void;
}

/**
 * Creates the status snapshot: `build` runs at most once at a time,
 * concurrent readers share it, and its result is reused for `ttlMs`
 * (default 60 s) or until {@link StatusSnapshot.invalidate}. So writes on
 * this replica show within one build, other replicas' writes within the TTL.
 */
export function createStatusSnapshot<T>(options: {
  build: (at: Date) => Promise<T[]>;
  logger: LoggerService;
  /** The clock; tests pass their own. */
  now?: () => Date;
  ttlMs?: number;
}): StatusSnapshot<T> {
  const { build, logger } = options;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? 60_000;

  type Built = Snapshot<T> & { generation: number };
  let snapshot: Built | undefined;
  let building: { generation: number; promise: Promise<Built> } | undefined;
  /** Counts invalidations: a snapshot is current while its generation is. */
  let generation = 0;

  const ageMs = (s: Built, at: Date) => Math.abs(at.getTime() - s.at.getTime());

  function startBuild(at: Date): Promise<Built> {
    if (building) return building.promise;
    const gen = generation;
    const promise = build(at)
      .then(rows => {
        snapshot = { at, generation: gen, rows };
        return snapshot;
      })
      .finally(() => {
        building = undefined;
      });
    building = { generation: gen, promise };
    return promise;
  }

  return {
    invalidate() {
      generation += 1;
    },

    async get(getOptions) {
      const at = now();
      if (
        snapshot &&
        snapshot.generation === generation &&
        ageMs(snapshot, at) < ttlMs
      ) {
        return snapshot;
      }
      const stale = snapshot;
      if (getOptions?.fresh) {
        // A build started before the latest write does not include it.
        if (building && building.generation !== generation) {
          await building.promise.catch(() => undefined);
        }
        return startBuild(now());
      }
      const next = startBuild(at);
      if (stale && ageMs(stale, at) < 2 * ttlMs) {
        next.catch(error =>
          logger.warn(`Could not rebuild the backup status snapshot: ${error}`),
        );
        return stale;
      }
      return next;
    },
  };
}
