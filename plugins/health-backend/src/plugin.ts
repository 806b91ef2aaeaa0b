import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { healthPermissions } from '@platform-portal/backstage-plugin-health-common';
import {
  addWarmUpHook,
  readTrustedLocations,
} from '@platform-portal/backstage-plugin-platform-node';
import { readHealthConfig } from './config';
import { DemoMonitoring } from './demo/DemoMonitoring';
import { IncidentStore } from './database/IncidentStore';
import { createRouter, WEBHOOK_PATH } from './router';
import { AlertmanagerClient } from './service/AlertmanagerClient';
import { createHealthService } from './service/createHealthService';
import { PrometheusClient } from './service/PrometheusClient';
import { CachedUptime, prometheusUptimeSource } from './service/uptime';

/**
 * The health backend plugin: firing alerts per entity from Alertmanager,
 * incidents from its webhook with MTTR and MTBF, and silences for owners.
 *
 * @public
 */
export const healthPlugin = createBackendPlugin({
  pluginId: 'health',
  register(env) {
    env.registerInit({
      deps: {
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        cache: coreServices.cache,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const config = readHealthConfig(deps.config);
        const store = await IncidentStore.create({ database: deps.database });
        const demo =
          config.mode === 'demo' ? new DemoMonitoring({ store }) : undefined;
        const uptime = new CachedUptime({
          source:
            config.mode === 'monitoring'
              ? prometheusUptimeSource({
                  client: new PrometheusClient({
                    baseUrl: config.prometheus.baseUrl,
                  }),
                  query: config.prometheus.uptimeQuery,
                  label: config.prometheus.uptimeLabel,
                })
              : demo!,
          cache: deps.cache,
          ttlSeconds: config.cacheTtlSeconds,
          logger: deps.logger,
        });
        const health = createHealthService({
          alertmanager:
            config.mode === 'monitoring'
              ? new AlertmanagerClient(config.alertmanager)
              : demo!,
          store,
          uptime,
          uptimeLabel:
            config.mode === 'monitoring'
              ? config.prometheus.uptimeLabel
              : 'service',
          demo: config.mode === 'demo',
          catalog: deps.catalog,
          auth: deps.auth,
          logger: deps.logger,
          trustedLocations: readTrustedLocations(deps.config),
        });
        if (demo) {
          await demo.schedule({
            scheduler: deps.scheduler,
            catalog: deps.catalog,
            auth: deps.auth,
            logger: deps.logger,
            health,
            uptime,
          });
        }
        // The first overview request is served, not built: the catalog read
        // of every Component and the uptime queries run before ready.
        addWarmUpHook({
          lifecycle: deps.lifecycle,
          logger: deps.logger,
          what: 'The health overview',
          warm: async () => {
            try {
              const built = await health.warmOverview();
              deps.logger.info('Built the health overview', built);
            } catch (error) {
              deps.logger.warn(`Could not build the health overview: ${error}`);
            }
          },
        });
        deps.permissionsRegistry.addPermissions(healthPermissions);
        // Alertmanager has no Backstage token; the router checks its own.
        deps.httpRouter.addAuthPolicy({
          path: WEBHOOK_PATH,
          allow: 'unauthenticated',
        });
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger: deps.logger,
            health,
            webhookToken:
              config.mode === 'monitoring' ? config.webhookToken : undefined,
          }),
        );
      },
    });
  },
});
