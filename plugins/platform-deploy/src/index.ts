/**
 * Platform deploy frontend plugin: the "Deployments" entity tab, the
 * `/platform/deployments` page, the `/platform/costs` page and the
 * "Monthly cost" entity card. The new frontend system plugin is the default
 * export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  platformDeployPlugin,
  EntityDeploymentsContent,
  DeploymentsPage,
  CostsPage,
  EntityCostCard,
} from './plugin';
export { isPlatformDeployAvailable } from './isPlatformDeployAvailable';
export { isCostAvailable } from './isCostAvailable';
export { platformDeployApiRef } from './api/PlatformDeployApi';
export type {
  PlatformDeployApi,
  DeployOverviewRequest,
} from './api/PlatformDeployApi';
export { PlatformDeployClient } from './api/PlatformDeployClient';
