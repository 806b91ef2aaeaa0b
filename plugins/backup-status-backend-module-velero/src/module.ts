import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { backupStatusSourcesExtensionPoint } from '@platform-portal/backstage-plugin-backup-status-node';
import { VeleroBackupSource } from './VeleroBackupSource';

/**
 * Adds the Velero backup source to the backup-status plugin when
 * `backupStatus.velero` is configured.
 *
 * @public
 */
export const backupStatusModuleVelero = createBackendModule({
  pluginId: 'backup-status',
  moduleId: 'velero',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        sources: backupStatusSourcesExtensionPoint,
      },
      async init({ config, logger, sources }) {
        const velero = config.getOptionalConfig('backupStatus.velero');
        if (!velero) {
          logger.info(
            'backupStatus.velero is not configured; Velero source disabled',
          );
          return;
        }
        sources.addSource(await VeleroBackupSource.fromConfig(velero));
      },
    });
  },
});
