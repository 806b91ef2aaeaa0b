import { createBackupSourceModule } from '@platform-portal/backstage-plugin-backup-status-node';
import { VeleroBackupSource } from './VeleroBackupSource';

/**
 * Adds the Velero backup source to the backup-status plugin when
 * `backupStatus.velero` is configured.
 *
 * @public
 */
export const backupStatusModuleVelero = createBackupSourceModule({
  moduleId: 'velero',
  configKey: 'backupStatus.velero',
  createSource: config => VeleroBackupSource.fromConfig(config),
});
