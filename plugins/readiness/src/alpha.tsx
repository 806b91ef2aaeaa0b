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
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Content } from '@backstage/core-components';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { readinessApiRef } from './api/ReadinessApi';
import { ReadinessClient } from './api/ReadinessClient';
import { isReadinessAvailable } from './isReadinessAvailable';
import { rootRouteRef } from './routes';

/** The HTTP client. @alpha */
export const readinessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: readinessApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new ReadinessClient(deps),
    }),
});

/** `/platform/readiness`; its title and icon also make the sidebar nav item. @alpha */
export const readinessPage = PageBlueprint.make({
  params: {
    path: '/platform/readiness',
    title: 'Readiness',
    icon: <AssignmentTurnedInIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/ReadinessOverview').then(m => (
        <Content>
          <m.ReadinessOverview />
        </Content>
      )),
  },
});

/** The "Production readiness" card on every Component's overview. @alpha */
export const readinessEntityCard = EntityCardBlueprint.make({
  name: 'readiness',
  params: {
    filter: isReadinessAvailable,
    loader: () =>
      import('./components/EntityReadinessCard').then(m => (
        <m.EntityReadinessCard />
      )),
  },
});

/** The "Status" card (production, last deploy, backups) on every Component's overview. @alpha */
export const readinessStatusEntityCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    filter: isReadinessAvailable,
    loader: () =>
      import('./components/EntityStatusCard').then(m => <m.EntityStatusCard />),
  },
});

/**
 * The readiness plugin for the new frontend system; discovered by the app
 * through `app.packages` from this default export.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'readiness',
  extensions: [
    readinessApi,
    readinessPage,
    readinessEntityCard,
    readinessStatusEntityCard,
  ],
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
});
