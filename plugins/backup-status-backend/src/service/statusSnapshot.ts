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
   * build (none at start: see `refresh`), an empty snapshot, one behind the
   * catalog (see `patch`) or one far behind the clock (more than twice the
   * TTL) is waited for. With `fresh`, waits for a snapshot that includes every
   * write {@link StatusSnapshot.invalidate} was told about.
   */
  get(options?: { fresh?: boolean }): Promise<Snapshot<T>>;
  /** Marks every snapshot built so far outdated (a write on this replica). */
  invalidate(): void;
  /**
   * Builds now (or joins the build under way) and resolves with the result:
   * the warm-up at start and the periodic refresh, off the request path.
   */
  refresh(): Promise<Snapshot<T>>;
  /**
   * Replaces (or adds) the rows with the keys of `rows` in the current
   * snapshot, and in the one being built when that finishes: a write on
   * this replica, without a full build. A row whose key the snapshot lacks
   * (an entity the catalog has and the snapshot not yet) marks the
   * snapshot behind: the next read waits for a full build rather than
   * serve it. Needs the `key` option.
   */
  patch(rows: T[]): void;
  /** Whether a snapshot has been built (the warm-up is done). */
  isWarm(): boolean;
}

/**
 * Creates the status snapshot: `build` runs at most once at a time,
 * concurrent readers share it, and its result is reused for `ttlMs`
 * (default 60 s) or until {@link StatusSnapshot.invalidate}. So writes on
 * this replica show within one build, other replicas' writes within the TTL.
 */
export function createStatusSnapshot<T>(options: {
  build: (at: Date) => Promise<T[]>;
  /** The identity of a row, for {@link StatusSnapshot.patch}. */
  key?: (row: T) => string;
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
  /** Snapshots of a generation below this one are behind the catalog. */
  let behindGeneration = 0;
  /** Rows patched in, by key, with the sequence number of their patch. */
  const patches = new Map<string, { row: T; seq: number }>();
  let patchSeq = 0;

  const ageMs = (s: Built, at: Date) => Math.abs(at.getTime() - s.at.getTime());
  const keyOf = (row: T) => {
    if (!options.key) throw new Error('patch needs the key option');
    return options.key(row);
  };

  /** `rows` with the patched rows of `patched` over them (by key). */
  function overlay(rows: T[], patched: T[]): T[] {
    if (patched.length === 0) return rows;
    const byKey = new Map(patched.map(row => [keyOf(row), row]));
    const merged = rows.map(row => {
      const key = keyOf(row);
      const replacement = byKey.get(key);
      byKey.delete(key);
      return replacement ?? row;
    });
    return [...merged, ...byKey.values()];
  }

  function startBuild(at: Date): Promise<Built> {
    if (building) return building.promise;
    const gen = generation;
    const seqAtStart = patchSeq;
    const promise = build(at)
      .then(rows => {
        // writes patched in while this built may be missing from its read
        const later = [...patches.values()].filter(p => p.seq > seqAtStart);
        for (const [key, p] of patches) {
          if (p.seq <= seqAtStart) patches.delete(key);
        }
        snapshot = {
          at,
          generation: gen,
          rows: overlay(
            rows,
            later.map(p => p.row),
          ),
        };
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

    isWarm() {
      return snapshot !== undefined;
    },

    refresh() {
      return startBuild(now());
    },

    patch(rows) {
      if (rows.length === 0) return;
      patchSeq += 1;
      for (const row of rows) {
        patches.set(keyOf(row), { row, seq: patchSeq });
      }
      if (!snapshot) return;
      const known = new Set(snapshot.rows.map(keyOf));
      if (rows.some(row => !known.has(keyOf(row)))) {
        // the catalog has entities the snapshot lacks: not served again
        generation += 1;
        behindGeneration = generation;
      }
      snapshot = { ...snapshot, rows: overlay(snapshot.rows, rows) };
    },

    async get(getOptions) {
      const at = now();
      // an empty snapshot (a catalog that had not ingested yet when it was
      // built) is not reused: building nothing is cheap
      const usable =
        snapshot &&
        snapshot.rows.length > 0 &&
        snapshot.generation >= behindGeneration
          ? snapshot
          : undefined;
      if (
        usable &&
        usable.generation === generation &&
        ageMs(usable, at) < ttlMs
      ) {
        return usable;
      }
      const stale = usable;
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
