import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  COST_ENTITY_FIELDS,
  platformDeployCostsReadPermission,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { readCostsConfig } from '@platform-portal/backstage-plugin-platform-deploy-node';
import { createCostService, CostService } from './CostService';
import { createCostsRouter } from './router';

/**
 * Cost views: `GET /api/platform-deploy/v1/costs` from the cost model in
 * `platformDeploy.costs` and the catalog's Components.
 *
 * @public
 */
export const platformDeployModuleCosts = createBackendModule({
  pluginId: 'platform-deploy',
  moduleId: 'costs',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init(deps) {
        const { auth, catalog, logger } = deps;
        const costsConfig = readCostsConfig(deps.config);

        let costs: CostService | undefined;
        if (costsConfig) {
          const { model, cacheSeconds } = costsConfig;
          costs = createCostService({
            config: model,
            logger,
            cacheMs: 1000 * cacheSeconds,
            // One query for every component, only the fields the model reads.
            // The plugin's own credentials: the totals need every component,
            // and the report holds no more than costs.read already allows.
            loadComponents: async () => {
              const { items } = await catalog.getEntities(
                { filter: { kind: 'component' }, fields: COST_ENTITY_FIELDS },
                { credentials: await auth.getOwnServiceCredentials() },
              );
              return items;
            },
          });
          logger.info('Cost model configured', {
            current: model.current,
            scenarios: model.scenarios.map(s => s.id).join(', '),
          });
        } else {
          logger.info(
            'No platformDeploy.costs in config: GET /v1/costs answers 404',
          );
        }

        deps.permissionsRegistry.addPermissions([
          platformDeployCostsReadPermission,
        ]);
        deps.httpRouter.use(
          createCostsRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            costs,
          }),
        );
      },
    });
  },
});
