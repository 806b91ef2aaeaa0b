import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/backup-status',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const backupStatusPlugin = createFrontendPlugin({
  pluginId: 'backup-status',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
