import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import { createBackupsFactSource } from './sources/backups';
import { createCatalogFactSource } from './sources/catalog';
import { createDeploysFactSource } from './sources/deploys';
import { createHealthFactSource } from './sources/health';
import { createPluginClient } from './sources/pluginClient';
import { createQualityFactSource } from './sources/quality';
import { createPlatformFactRetriever } from './sources/retriever';

/**
 * The portal's fact retrievers for tech-insights: deploys (platform-deploy),
 * backups (backup-status), catalog metadata and health (health), each read in bulk once per
 * run. Tech-insights schedules a retriever (scope global) only when
 * `techInsights.factRetrievers.<id>` gives its `cadence` (and `lifecycle`
 * of the fact history): `platformDeploys`, `platformBackups`,
 * `platformCatalog`, `platformHealth`.
 *
 * @public
 */
export const techInsightsModulePlatform = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'platform',
  register(env) {
    env.registerInit({
      deps: {
        retrievers: techInsightsFactRetrieversExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ retrievers, config, discovery, auth, catalog }) {
        const client = createPluginClient({ discovery, auth });
        const sources = [
          createDeploysFactSource({
            client,
            windowDays: config.getOptionalNumber(
              'techInsights.platformFacts.deploysWindowDays',
            ),
          }),
          createBackupsFactSource({ client, catalog, auth }),
          createCatalogFactSource({ catalog, auth }),
          createQualityFactSource({
            client,
            highOlderThanDays: config.getOptionalNumber(
              'techInsights.platformFacts.highVulnMaxAgeDays',
            ),
          }),
          createHealthFactSource({ client }),
        ];
        retrievers.addFactRetrievers(
          Object.fromEntries(
            sources.map(s => [s.id, createPlatformFactRetriever(s)]),
          ),
        );
      },
    });
  },
});
