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
import FavoriteIcon from '@material-ui/icons/Favorite';
import { healthApiRef } from './api/HealthApi';
import { HealthClient } from './api/HealthClient';
import { isHealthAvailable } from './annotations';
import { rootRouteRef } from './routes';

/** The HTTP client. @alpha */
export const healthApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: healthApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new HealthClient(deps),
    }),
});

/** `/platform/health`; its title and icon also make the sidebar nav item. @alpha */
export const healthPage = PageBlueprint.make({
  params: {
    path: '/platform/health',
    title: 'Health',
    icon: <FavoriteIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/HealthOverview').then(m => (
        <Content>
          <m.HealthOverview />
        </Content>
      )),
  },
});

/** The "Health" tab on every Component. @alpha */
export const healthEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'health',
    title: 'Health',
    filter: isHealthAvailable,
    loader: () =>
      import('./components/EntityHealthContent').then(m => (
        <m.EntityHealthContent />
      )),
  },
});

/**
 * The health plugin for the new frontend system; discovered by the app
 * through `app.packages` from this default export.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'health',
  extensions: [healthApi, healthPage, healthEntityContent],
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
});
