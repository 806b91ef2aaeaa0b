import { BackupRun } from '@platform-portal/backstage-plugin-backup-status-common';

/**
 * A run whose idempotency key its source reported before with other
 * content: its index in the batch and the fields that differ.
 */
export interface IdempotencyConflict {
  index: number;
  idempotencyKey: string;
  fields: Array<keyof RunContent>;
}

/**
 * The content an idempotency key stands for: which entity, what ran, how it
 * ended, when, and what it made. Two reports with the same key (from the
 * same source) and the same content are one run, reported again.
 * `oldestKeptAt` is not content: it is what storage still kept when the run
 * was reported, and a later report of the same run (a source's next scan,
 * after the storage's own retention deleted an old backup) sees other
 * storage; the first report's value stays. Neither are the source (the
 * scope of the key), the arrival time and the key itself.
 */
export type RunContent = Pick<
  BackupRun,
  | 'entityRef'
  | 'type'
  | 'status'
  | 'startedAt'
  | 'finishedAt'
  | 'sizeBytes'
  | 'location'
  | 'checksum'
  | 'tool'
  | 'message'
>;

/** What to do with a run whose key came back with other content. */
export type OnConflict =
  /** Store nothing of the batch and return the conflict (HTTP: 409). */
  | 'refuse'
  /**
   * Keep the run stored first, count the other as a duplicate and return
   * the conflicts (a scheduled source's next scan, the demo feed).
   */
  | 'keep-first';

/** Result of storing a batch of runs. */
export type InsertRunsResult =
  | {
      /** Runs newly stored. */
      stored: number;
      /** Runs whose key the source had stored already; they were ignored. */
      duplicates: number;
      /** Of the duplicates, those with other content (`keep-first` only). */
      conflicts: IdempotencyConflict[];
    }
  | {
      /** The first run whose key came back with other content (`refuse`). */
      conflict: IdempotencyConflict;
    };

/** Persistence of reported runs. Runs are never updated; retention deletes old ones. */
export interface BackupStore {
  /** The status the notification task saw last, per entity ref. */
  getNotificationStates(): Promise<Map<string, string>>;

  /** Records the statuses the notification task saw (insert or update). */
  setNotificationStates(
    states: Array<{ entityRef: string; status: string }>,
    at: Date,
  ): Promise<void>;

  /**
   * Stores runs in one transaction, all or none, with the source that
   * reported them. A key the source reported before (or earlier in the
   * batch) with the same content (`RunContent`) is a duplicate: ignored,
   * never overwritten. With other content it is a conflict: `refuse` stores
   * nothing and returns it; `keep-first` keeps the first and returns it
   * among the duplicates. Compared after the insert met the unique key, in
   * the transaction, so two concurrent reports of one key cannot both pass.
   */
  insertRuns(
    runs: BackupRun[],
    options: { source: string; onConflict: OnConflict },
  ): Promise<InsertRunsResult>;

  /**
   * The runs the status engine needs, for all entities (or the given ones), in
   * ONE query: every run finished since `since`, plus the latest run of each
   * (entity, type, status) however old, so that the age of an old last good
   * backup or restore test is still known. Grouped by entity ref.
   */
  listRunsForStatus(options: {
    since: Date;
    entityRefs?: string[];
  }): Promise<Map<string, BackupRun[]>>;

  /** One entity's runs, newest first, paginated. */
  listEntityRuns(options: {
    entityRef: string;
    types?: BackupRun['type'][];
    limit: number;
    offset: number;
  }): Promise<{ runs: BackupRun[]; totalRuns: number }>;

  /**
   * Deletes runs that finished before `before`, except the latest run of
   * each (entity, type, status), which the status needs however old (the
   * last good backup, the last restore test): in batches of `batchSize`
   * (short statements: ingest is not blocked behind one long delete), until
   * none is left or `signal` aborts. Returns how many were deleted.
   */
  deleteRunsBefore(
    before: Date,
    options?: { batchSize?: number; signal?: AbortSignal },
  ): Promise<number>;

  /** Number of stored runs, optionally excluding runs of one tool. */
  countRuns(options?: { excludeTool?: string }): Promise<number>;
}
