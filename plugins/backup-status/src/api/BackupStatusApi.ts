import { createApiRef } from '@backstage/core-plugin-api';
import {
  BackupHealth,
  BackupOverviewResponse,
  EntityBackupDetails,
} from '@platform-portal/backstage-plugin-backup-status-common';

/** Filters and pagination of {@link BackupStatusApi.getOverview}. @public */
export interface OverviewRequest {
  /** Only entities with this health. */
  status?: BackupHealth;
  /** Only entities with this policy name. */
  policy?: string;
  /** Only entities with this owner. */
  owner?: string;
  /** Case-insensitive search in the entity ref and title. */
  q?: string;
  /** Page size. */
  limit?: number;
  /** Number of items to skip. */
  offset?: number;
}

/** Client of the backup-status backend. @public */
export interface BackupStatusApi {
  /** Fetches `GET /v1/overview`: the status of every entity with a backup policy. */
  getOverview(request?: OverviewRequest): Promise<BackupOverviewResponse>;
  /** Fetches `GET /v1/entities/:kind/:namespace/:name`: one entity's status and runs. */
  getEntityDetails(
    entityRef: string,
    page?: { limit?: number; offset?: number },
  ): Promise<EntityBackupDetails>;
}

/**
 * Reference to the {@link BackupStatusApi}.
 *
 * @public
 */
export const backupStatusApiRef = createApiRef<BackupStatusApi>({
  id: 'plugin.backup-status.api',
});
