import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { healthApiRef } from './api/HealthApi';
import { HealthClient } from './api/HealthClient';
import { rootRouteRef } from './routes';

/** The health plugin for the legacy frontend system. @public */
export const healthPlugin = createPlugin({
  id: 'health',
  apis: [
    createApiFactory({
      api: healthApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new HealthClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The entity's "Health" tab; guard it with `isHealthAvailable`. @public */
export const EntityHealthContent: () => JSX.Element = healthPlugin.provide(
  createComponentExtension({
    name: 'EntityHealthContent',
    component: {
      lazy: () =>
        import('./components/EntityHealthContent').then(
          m => m.EntityHealthContent,
        ),
    },
  }),
);

/** The `/platform/health` page. @public */
export const HealthPage: () => JSX.Element = healthPlugin.provide(
  createRoutableExtension({
    name: 'HealthPage',
    component: () =>
      import('./components/HealthPage').then(m => m.HealthPageContent),
    mountPoint: rootRouteRef,
  }),
);
