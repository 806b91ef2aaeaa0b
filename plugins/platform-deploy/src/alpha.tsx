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
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { Content } from '@backstage/core-components';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import MoneyIcon from '@material-ui/icons/AttachMoney';
import { platformDeployApiRef } from './api/PlatformDeployApi';
import { PlatformDeployClient } from './api/PlatformDeployClient';
import { isCostAvailable } from './isCostAvailable';
import { isPlatformDeployAvailable } from './isPlatformDeployAvailable';
import { costsRouteRef, rootRouteRef } from './routes';

/** The HTTP client. @alpha */
export const platformDeployApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: platformDeployApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: deps => new PlatformDeployClient(deps),
    }),
});

/** `/platform/deployments`; its title and icon also make the sidebar item. @alpha */
export const platformDeployPage = PageBlueprint.make({
  params: {
    path: '/platform/deployments',
    title: 'Deployments',
    icon: <CloudUploadIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/DeploymentsPage').then(m => (
        <Content>
          <m.DeploymentsPageContent />
        </Content>
      )),
  },
});

/** The "Deployments" entity tab, on Components that declare environments. @alpha */
export const platformDeployEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'deployments',
    title: 'Deployments',
    filter: isPlatformDeployAvailable,
    loader: () =>
      import('./components/EntityDeploymentsContent').then(m => (
        <m.EntityDeploymentsContent />
      )),
  },
});

/** `/platform/costs`; its title and icon also make the sidebar item. @alpha */
export const platformDeployCostsPage = PageBlueprint.make({
  name: 'costs',
  params: {
    path: '/platform/costs',
    title: 'Costs',
    icon: <MoneyIcon />,
    routeRef: convertLegacyRouteRef(costsRouteRef),
    loader: () =>
      import('./components/CostsPage').then(m => (
        <Content>
          <m.CostsPageContent />
        </Content>
      )),
  },
});

/** The "Monthly cost" card on every Component's overview. @alpha */
export const platformDeployEntityCostCard = EntityCardBlueprint.make({
  name: 'cost',
  params: {
    type: 'info',
    filter: isCostAvailable,
    loader: () =>
      import('./components/EntityCostCard').then(m => <m.EntityCostCard />),
  },
});

/**
 * The platform-deploy plugin for the new frontend system; the app discovers
 * it through `app.packages` from this default export.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'platform-deploy',
  extensions: [
    platformDeployApi,
    platformDeployPage,
    platformDeployEntityContent,
    platformDeployCostsPage,
    platformDeployEntityCostCard,
  ],
  routes: convertLegacyRouteRefs({ root: rootRouteRef, costs: costsRouteRef }),
});
