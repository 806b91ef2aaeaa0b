import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { backupStatusApiRef } from './api/BackupStatusApi';
import { BackupStatusClient } from './api/BackupStatusClient';
import { rootRouteRef } from './routes';

/** The backup-status plugin for the legacy frontend system. @public */
export const backupStatusPlugin = createPlugin({
  id: 'backup-status',
  apis: [
    createApiFactory({
      api: backupStatusApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new BackupStatusClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The "Backups" entity tab; guard it with `isBackupStatusAvailable`. @public */
export const EntityBackupsContent: () => JSX.Element | null =
  backupStatusPlugin.provide(
    createComponentExtension({
      name: 'EntityBackupsContent',
      component: {
        lazy: () =>
          import('./components/EntityBackupsContent').then(
            m => m.EntityBackupsContent,
          ),
      },
    }),
  );

/** The `/platform/backups` page. @public */
export const BackupStatusPage: () => JSX.Element = backupStatusPlugin.provide(
  createRoutableExtension({
    name: 'BackupStatusPage',
    component: () =>
      import('./components/BackupStatusPage').then(
        m => m.BackupStatusPageContent,
      ),
    mountPoint: rootRouteRef,
  }),
);
