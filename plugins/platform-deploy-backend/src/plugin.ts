import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { platformDeployPermissions } from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  DeploymentSource,
  platformDeploySourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-platform-deploy-node';
import {
  IngestScopes,
  readTrustedLocations,
} from '@platform-portal/backstage-plugin-platform-node';
import { createDeployableEntityCatalog } from './catalog/deployableEntities';
import { readPlatformDeployConfig, RETIRED_KEYS } from './config';
import { DeploymentStore } from './database/DeploymentStore';
import { createDeployFailureNotifier } from './notifications/deployFailureNotifications';
import { createRouter } from './router';
import { CatalogEntitySync } from './service/CatalogEntitySync';
import { createDeploymentService } from './service/createDeploymentService';
import { createSourceSink } from './service/createSourceSink';
import { DeployEventRetention } from './service/DeployEventRetention';
import { HealthProber } from './service/HealthProber';
import { MetricsWarmUp } from './service/MetricsWarmUp';
import { parseAllowedHosts } from './service/probe';

/**
 * The platform-deploy backend plugin: deployment status of every service in
 * every environment.
 *
 * @public
 */
export const platformDeployPlugin = createBackendPlugin({
  pluginId: 'platform-deploy',
  register(env) {
    const sources: DeploymentSource[] = [];
    env.registerExtensionPoint(platformDeploySourcesExtensionPoint, {
      addSource(...added) {
        sources.push(...added);
      },
    });
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const { logger, scheduler } = deps;
        const config = readPlatformDeployConfig(deps.config);
        for (const [key, replacement] of Object.entries(RETIRED_KEYS)) {
          if (deps.config.has(key)) {
            logger.warn(`${key} is no longer read; use ${replacement}`);
          }
        }
        const store = await DeploymentStore.create({ database: deps.database });
        const catalog = createDeployableEntityCatalog({
          catalog: deps.catalog,
          auth: deps.auth,
          environments: config.environments,
          trustedLocations: readTrustedLocations(deps.config),
        });
        const deployments = createDeploymentService({
          store,
          logger,
          environments: config.environments,
          productionEnvironment: config.productionEnvironment,
          lookupEntities: refs => catalog.getComponents(refs),
          notifier: createDeployFailureNotifier({
            notifications: deps.notifications,
            logger,
            productionEnvironment: config.productionEnvironment,
          }),
        });

        await new CatalogEntitySync({
          catalog,
          store,
          deployments,
          logger,
          demoEnabled: config.demoEnabled,
          demoContinuousDelivery: config.demoContinuousDelivery,
        }).schedule(scheduler, config.catalogSyncSchedule);

        if (config.healthProbe.enabled) {
          const { schedule, allowedHosts, ...probeOptions } =
            config.healthProbe;
          await new HealthProber({
            store,
            logger,
            ...probeOptions,
            allowedHosts: parseAllowedHosts(allowedHosts),
          }).schedule(scheduler, schedule);
        }

        await new DeployEventRetention({
          store,
          logger,
          days: config.retention.days,
        }).schedule(scheduler, config.retention.schedule);

        await new MetricsWarmUp({
          deployments,
          windows: config.metrics.warmWindows,
          logger,
        }).start({
          lifecycle: deps.lifecycle,
          scheduler,
          schedule: config.metrics.warmSchedule,
        });

        const sink = createSourceSink(deployments);
        for (const source of sources) {
          source.connect(sink);
          logger.info('Connected deployment source', { source: source.id });
        }

        deps.permissionsRegistry.addPermissions(platformDeployPermissions);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger,
            deployments,
            ingestScopes: IngestScopes.fromConfig(deps.config),
            ingestEventsPerMinute: config.ingestEventsPerMinute,
          }),
        );
      },
    });
  },
});
