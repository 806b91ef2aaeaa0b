import {
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Content } from '@backstage/core-components';
import BackupIcon from '@material-ui/icons/Backup';
import { backupStatusApiRef } from './api/BackupStatusApi';
import { BackupStatusClient } from './api/BackupStatusClient';
import { isBackupStatusAvailable } from './isBackupStatusAvailable';
import { rootRouteRef } from './routes';

/** The HTTP client. @alpha */
export const backupStatusApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: backupStatusApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new BackupStatusClient(deps),
    }),
});

/** `/platform/backups`; its title and icon also make the sidebar nav item. @alpha */
export const backupStatusPage = PageBlueprint.make({
  params: {
    path: '/platform/backups',
    title: 'Backups',
    icon: <BackupIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/BackupOverview').then(m => (
        <Content>
          <m.BackupOverview />
        </Content>
      )),
  },
});

/** The "Backups" entity tab, only on entities with a backup policy. @alpha */
export const backupStatusEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'backups',
    title: 'Backups',
    filter: isBackupStatusAvailable,
    loader: () =>
      import('./components/EntityBackupsContent').then(m => (
        <m.EntityBackupsContent />
      )),
  },
});

/**
 * The backup-status plugin for the new frontend system; discovered by the app
 * through `app.packages` from this default export.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'backup-status',
  extensions: [backupStatusApi, backupStatusPage, backupStatusEntityContent],
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
});
