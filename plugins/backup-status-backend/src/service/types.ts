import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  BackupHealth,
  BackupOverviewResponse,
  EntityBackupDetails,
  IngestRunsResponse,
  RunReport,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupSourceEntity } from '@platform-portal/backstage-plugin-backup-status-node';

/** Filters and pagination of the overview. */
export interface OverviewQuery {
  status?: BackupHealth;
  policy?: string;
  owner?: string;
  q?: string;
  limit: number;
  offset: number;
}

/** The backup-status domain service behind the router, sources and demo feeder. */
export interface BackupStatusService {
  /**
   * Validates that every run names a catalog entity with a backup policy, then
   * stores them all, or nothing (throws `InputError` naming the bad run).
   */
  ingestRuns(reports: RunReport[]): Promise<IngestRunsResponse>;

  /**
   * Every catalog entity with a known backup policy, read with this plugin's
   * own credentials (for sources and the demo feeder).
   */
  listPolicyEntities(): Promise<BackupSourceEntity[]>;

  /**
   * Status of every policy-bearing entity (the caller holds
   * backup-status.read), from a snapshot at most a minute old on other
   * replicas' writes.
   */
  getOverview(
    query: OverviewQuery,
    options?: {
      /** Wait for a snapshot that includes every write seen so far. */
      fresh?: boolean;
    },
  ): Promise<BackupOverviewResponse>;

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
