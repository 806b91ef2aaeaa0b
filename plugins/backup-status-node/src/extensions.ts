import { Entity } from '@backstage/catalog-model';
import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  BackupPolicy,
  RunReport,
} from '@platform-portal/backstage-plugin-backup-status-common';

/**
 * A catalog entity that has a backup policy, as handed to a source.
 *
 * @public
 */
export interface BackupSourceEntity {
  /** Lower-case entity ref, e.g. `resource:default/chat-db`. */
  entityRef: string;
  /** The catalog entity. */
  entity: Entity;
  /** The entity's resolved backup policy. */
  policy: BackupPolicy;
}

/**
 * Options of {@link BackupSource.scan}.
 *
 * @public
 */
export interface BackupSourceScanOptions {
  /**
   * The entities to scan: those with a known policy that come from a
   * trusted catalog location (the backend kit's `trustedLocations`). Their
   * annotations are still data, not instructions: check what an annotation
   * puts into a listing, a path or a selector, and skip (with a warning
   * naming the entity) one that does not pass, scanning the rest.
   */
  entities: BackupSourceEntity[];
  /** The instant of this scan; use it instead of reading the clock. */
  now: Date;
  /** Logger of the backup-status plugin. */
  logger: LoggerService;
}

/**
 * Something that discovers backup runs by itself (an S3 bucket listing, a
 * backup tool's API) instead of having them pushed to `POST /v1/runs`.
 *
 * @public
 */
export interface BackupSource {
  /** Unique, stable id; used in the scheduler task id and in logs. */
  id: string;
  /**
   * Returns the runs found for the given entities. Give every run a stable
   * `idempotencyKey` derived from what it found and the entity ref (e.g.
   * `s3:<hash of entity ref, object key, ETag, time>`): scans repeat, and a
   * known key is stored only once; keys are scoped to the source's `id`. A
   * key reported again with other content keeps its first report (with a
   * warning). Runs for other entities, and runs the ingest schema refuses,
   * are skipped with a warning.
   */
  scan(options: BackupSourceScanOptions): Promise<RunReport[]>;
}

/**
 * Lets backend modules add {@link BackupSource}s. The plugin runs each source
 * on the scheduler (`scope: 'global'`) on `backupStatus.sources.schedule`
 * (default every 15 minutes), and feeds the runs through the ingest service
 * in batches of at most 500.
 *
 * @public
 */
export interface BackupStatusSourcesExtensionPoint {
  /** Adds sources to scan. */
  addSource(...sources: BackupSource[]): void;
}

/**
 * Extension point for adding {@link BackupSource}s to the backup-status backend.
 *
 * @public
 */
export const backupStatusSourcesExtensionPoint =
  createExtensionPoint<BackupStatusSourcesExtensionPoint>({
    id: 'backup-status.sources',
  });
