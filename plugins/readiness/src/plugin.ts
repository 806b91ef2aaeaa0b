import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { readinessApiRef } from './api/ReadinessApi';
import { ReadinessClient } from './api/ReadinessClient';
import { rootRouteRef } from './routes';

/** The readiness plugin for the legacy frontend system. @public */
export const readinessPlugin = createPlugin({
  id: 'readiness',
  apis: [
    createApiFactory({
      api: readinessApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new ReadinessClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The "Production readiness" card; guard it with `isReadinessAvailable`. @public */
export const EntityReadinessCard: () => JSX.Element = readinessPlugin.provide(
  createComponentExtension({
    name: 'EntityReadinessCard',
    component: {
      lazy: () =>
        import('./components/EntityReadinessCard').then(
          m => m.EntityReadinessCard,
        ),
    },
  }),
);

/** The "Status" card: production, last deploy, backups; guard it with `isReadinessAvailable`. @public */
export const EntityStatusCard: () => JSX.Element = readinessPlugin.provide(
  createComponentExtension({
    name: 'EntityStatusCard',
    component: {
      lazy: () =>
        import('./components/EntityStatusCard').then(m => m.EntityStatusCard),
    },
  }),
);

/** The `/platform/readiness` page. @public */
export const ReadinessPage: () => JSX.Element = readinessPlugin.provide(
  createRoutableExtension({
    name: 'ReadinessPage',
    component: () =>
      import('./components/ReadinessPage').then(m => m.ReadinessPageContent),
    mountPoint: rootRouteRef,
  }),
);
