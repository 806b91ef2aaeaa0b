import { createBackupSourceModule } from '@platform-portal/backstage-plugin-backup-status-node';
import { S3BackupSource } from './S3BackupSource';

/**
 * Adds the S3 backup source to the backup-status plugin when
 * `backupStatus.s3` is configured.
 *
 * @public
 */
export const backupStatusModuleS3 = createBackupSourceModule({
  moduleId: 's3',
  configKey: 'backupStatus.s3',
  createSource: config => S3BackupSource.fromConfig(config),
});
