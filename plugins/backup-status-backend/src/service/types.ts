import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  BackupHealth,
  BackupOverviewResponse,
  EntityBackupDetails,
  IngestRunsResponse,
  RunReport,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupSourceEntity } from '@platform-portal/backstage-plugin-backup-status-node';
import { IngestTarget } from '@platform-portal/backstage-plugin-platform-node';
import { IdempotencyConflict, OnConflict } from '../database/BackupStore';

/** Filters and pagination of the overview. */
export interface OverviewQuery {
  status?: BackupHealth;
  policy?: string;
  owner?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** How a batch of runs reached the service. */
export interface IngestOptions {
  /**
   * Who reported: `http:<subject>` (the credential of an HTTP report), a
   * source module's id (`s3`, `velero`), `demo`. Idempotency keys are
   * scoped to it: one reporter cannot pre-claim another's keys.
   */
  source: string;
  /**
   * Decides whether the reporter may report for these entities (each with
   * its owner as the catalog has it, and the field naming it), before
   * anything is stored; throws to refuse the whole batch, e.g. the backend
   * kit's `IngestScopes.assertMayReport`. Default: every entity.
   */
  authorize?: (targets: IngestTarget[]) => void | Promise<void>;
  /**
   * Where run `index` sits in the caller's document, for error messages:
   * `runs[3]` for a batch. Default: none (a single run).
   */
  fieldPrefix?: (index: number) => string;
  /**
   * A key that comes back with other content: `refuse` (default) stores
   * nothing and throws `ConflictError` naming the key and the fields;
   * `keep-first` keeps the run stored first and returns the conflict (a
   * scheduled source's later scan, the demo feed).
   */
  onConflict?: OnConflict;
}

/** What ingesting a batch did; `conflicts` only with `keep-first`. */
export interface IngestRunsResult extends IngestRunsResponse {
  conflicts: IdempotencyConflict[];
}

/** The backup-status domain service behind the router, sources and demo feeder. */
export interface BackupStatusService {
  /**
   * Validates that every run names a catalog entity with a backup policy,
   * authorizes the batch (`options.authorize`), then stores it all, or
   * nothing: a bad run throws `InputError` naming its field; an entity the
   * reporter may not report for, whatever `authorize` throws
   * (`NotAllowedError`). A key the source reported before with the same
   * content is not stored again (a duplicate); with other content it throws
   * `ConflictError` naming the key and the fields (or, `keep-first`,
   * returns it).
   */
  ingestRuns(
    reports: RunReport[],
    options: IngestOptions,
  ): Promise<IngestRunsResult>;

  /**
   * Every catalog entity with a known backup policy, read with this plugin's
   * own credentials (for sources and the demo feeder).
   */
  listPolicyEntities(): Promise<BackupSourceEntity[]>;

  /**
   * Status of every policy-bearing entity (the caller holds
   * backup-status.read), from a snapshot built ahead of the requests (at
   * start and every minute) with this replica's writes patched in at once;
   * at most a minute old on other replicas' writes and catalog changes.
   */
  getOverview(
    query: OverviewQuery,
    options?: {
      /** Wait for a snapshot that includes every write seen so far. */
      fresh?: boolean;
    },
  ): Promise<BackupOverviewResponse>;

  /**
   * Builds the overview's status snapshot now, off the request path (the
   * warm-up at start and the periodic refresh), or joins the build under
   * way; resolves when it is built.
   */
  refreshSnapshot(): Promise<{ entities: number; durationMs: number }>;

  /**
   * Policy, status, runs (paginated) and restore tests of one entity. A user
   * caller's credentials look the entity up in the catalog (`NotFoundError`
   * when the user cannot see it); a service caller's lookup runs as this
   * plugin (its token may be restricted to backup-status).
   */
  getEntityDetails(
    entityRef: string,
    page: { limit: number; offset: number },
    options: { credentials: BackstageCredentials },
  ): Promise<EntityBackupDetails>;
}
