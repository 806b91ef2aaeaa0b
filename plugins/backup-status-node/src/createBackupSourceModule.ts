import {
  BackendFeature,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { BackupSource, backupStatusSourcesExtensionPoint } from './extensions';

/**
 * Options of {@link createBackupSourceModule}.
 *
 * @public
 */
export interface BackupSourceModuleOptions {
  /** The module id, e.g. `s3`. */
  moduleId: string;
  /** The config block that turns the source on, e.g. `backupStatus.s3`. */
  configKey: string;
  /** Creates the source from that block; throws naming a bad key. */
  createSource(config: Config): BackupSource | Promise<BackupSource>;
}

/**
 * A backend module of the backup-status plugin that adds one
 * {@link BackupSource} when its config block is present, and otherwise logs
 * that the source is off and adds nothing.
 *
 * @public
 */
export function createBackupSourceModule(
  options: BackupSourceModuleOptions,
): BackendFeature {
  const { moduleId, configKey, createSource } = options;
  return createBackendModule({
    pluginId: 'backup-status',
    moduleId,
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          sources: backupStatusSourcesExtensionPoint,
        },
        async init({ config, logger, sources }) {
          const block = config.getOptionalConfig(configKey);
          if (!block) {
            logger.info(
              `${configKey} is not configured; the ${moduleId} backup source is off`,
            );
            return;
          }
          sources.addSource(await createSource(block));
        },
      });
    },
  });
}
