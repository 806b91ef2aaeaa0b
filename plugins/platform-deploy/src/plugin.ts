import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { platformDeployApiRef } from './api/PlatformDeployApi';
import { PlatformDeployClient } from './api/PlatformDeployClient';
import { costsRouteRef, rootRouteRef } from './routes';

/** The platform-deploy plugin for the legacy frontend system. @public */
export const platformDeployPlugin = createPlugin({
  id: 'platform-deploy',
  apis: [
    createApiFactory({
      api: platformDeployApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new PlatformDeployClient(deps),
    }),
  ],
  routes: { root: rootRouteRef, costs: costsRouteRef },
});

/** The "Deployments" entity tab; guard it with `isPlatformDeployAvailable`. @public */
export const EntityDeploymentsContent: () => JSX.Element =
  platformDeployPlugin.provide(
    createComponentExtension({
      name: 'EntityDeploymentsContent',
      component: {
        lazy: () =>
          import('./components/EntityDeploymentsContent').then(
            m => m.EntityDeploymentsContent,
          ),
      },
    }),
  );

/** The `/platform/deployments` page. @public */
export const DeploymentsPage: () => JSX.Element = platformDeployPlugin.provide(
  createRoutableExtension({
    name: 'DeploymentsPage',
    component: () =>
      import('./components/DeploymentsPage').then(m => m.DeploymentsPage),
    mountPoint: rootRouteRef,
  }),
);

/** The `/platform/costs` page. @public */
export const CostsPage: () => JSX.Element = platformDeployPlugin.provide(
  createRoutableExtension({
    name: 'CostsPage',
    component: () => import('./components/CostsPage').then(m => m.CostsPage),
    mountPoint: costsRouteRef,
  }),
);

/** The "Monthly cost" card for a component's overview; guard it with `isCostAvailable`. @public */
export const EntityCostCard: () => JSX.Element = platformDeployPlugin.provide(
  createComponentExtension({
    name: 'EntityCostCard',
    component: {
      lazy: () =>
        import('./components/EntityCostCard').then(m => m.EntityCostCard),
    },
  }),
);
