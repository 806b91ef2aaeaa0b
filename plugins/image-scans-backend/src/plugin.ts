import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { imageScansPermissions } from '@platform-portal/backstage-plugin-image-scans-common';
import { IngestScopes } from '@platform-portal/backstage-plugin-platform-node';
import { ImageScanStore } from './database/ImageScanStore';
import { createRouter } from './router';
import { createImageScanService } from './service/createImageScanService';
import { feedDemoScans } from './service/demoScans';
import { catalogOwners, platformDeployVersions } from './service/sources';

/**
 * The image-scans backend plugin: Trivy reports per (entity, version), shown
 * for the version live in each environment.
 *
 * @public
 */
export const imageScansPlugin = createBackendPlugin({
  pluginId: 'image-scans',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init(deps) {
        const store = await ImageScanStore.create({ database: deps.database });
        const deployed = platformDeployVersions(deps);
        const scans = createImageScanService({
          store,
          deployed,
          owners: catalogOwners(deps),
          productionEnvironment:
            deps.config.getOptionalString('imageScans.productionEnvironment') ??
            'production',
        });
        deps.permissionsRegistry.addPermissions(imageScansPermissions);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger: deps.logger,
            scans,
            ingestScopes: IngestScopes.fromConfig(deps.config),
          }),
        );
        if (deps.config.getOptionalBoolean('imageScans.demo.enabled')) {
          await deps.scheduler.scheduleTask({
            id: 'image-scans:demo-feed',
            // after platform-deploy's demo has deployed; repeats store nothing
            frequency: { minutes: 5 },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 30 },
            scope: 'global',
            fn: async () => {
              await feedDemoScans({
                scans,
                store,
                deployed,
                catalog: deps.catalog,
                auth: deps.auth,
                logger: deps.logger,
                now: new Date(),
              });
            },
          });
        }
      },
    });
  },
});
