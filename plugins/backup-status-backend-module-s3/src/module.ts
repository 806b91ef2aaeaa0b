import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { backupStatusSourcesExtensionPoint } from '@platform-portal/backstage-plugin-backup-status-node';
import { S3BackupSource } from './S3BackupSource';

/**
 * Adds the S3 backup source to the backup-status plugin when
 * `backupStatus.s3.bucket` is configured.
 *
 * @public
 */
export const backupStatusModuleS3 = createBackendModule({
  pluginId: 'backup-status',
  moduleId: 's3',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        sources: backupStatusSourcesExtensionPoint,
      },
      async init({ config, logger, sources }) {
        const s3 = config.getOptionalConfig('backupStatus.s3');
        if (!s3) {
          logger.info('backupStatus.s3 is not configured; S3 source disabled');
          return;
        }
        sources.addSource(S3BackupSource.fromConfig(s3));
      },
    });
  },
});
