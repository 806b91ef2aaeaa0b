import { BackupRun } from '@platform-portal/backstage-plugin-backup-status-common';

/** Result of storing a batch of runs. */
export interface InsertRunsResult {
  /** Runs newly stored. */
  stored: number;
  /** Runs whose idempotency key was already stored; they were ignored. */
  duplicates: number;
}

/** Persistence of reported runs. Runs are never updated or deleted. */
export interface BackupStore {
  /** The status the notification task saw last, per entity ref. */
  getNotificationStates(): Promise<Map<string, string>>;

  /** Records the statuses the notification task saw (insert or update). */
  setNotificationStates(
    states: Array<{ entityRef: string; status: string }>,
    at: Date,
  ): Promise<void>;

  /**
   * Stores runs in one transaction, all or none; a known idempotency key is
   * ignored, never overwritten.
   */
  insertRuns(runs: BackupRun[]): Promise<InsertRunsResult>;

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

  /** Number of stored runs, optionally excluding runs of one tool. */
  countRuns(options?: { excludeTool?: string }): Promise<number>;
}
