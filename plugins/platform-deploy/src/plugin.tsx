import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/platform-deploy',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const platformDeployPlugin = createFrontendPlugin({
  pluginId: 'platform-deploy',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
