import { createApiRef } from '@backstage/core-plugin-api';
import {
  BackupHealth,
  BackupOverviewResponse,
  EntityBackupDetails,
} from '@platform-portal/backstage-plugin-backup-status-common';

/** Filters and pagination of {@link BackupStatusApi.getOverview}. @public */
export interface OverviewRequest {
  status?: BackupHealth;
  policy?: string;
  owner?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

/** Client of the backup-status backend. @public */
export interface BackupStatusApi {
  getOverview(request?: OverviewRequest): Promise<BackupOverviewResponse>;
  getEntityDetails(
    entityRef: string,
    page?: { limit?: number; offset?: number },
  ): Promise<EntityBackupDetails>;
}

/** @public */
export const backupStatusApiRef = createApiRef<BackupStatusApi>({
  id: 'plugin.backup-status.api',
});
