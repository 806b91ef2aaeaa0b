/**
 * Platform deploy frontend plugin: the "Deployments" entity tab and the
 * `/platform/deployments` page. The new frontend system plugin is the default
 * export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  platformDeployPlugin,
  EntityDeploymentsContent,
  DeploymentsPage,
} from './plugin';
export { isPlatformDeployAvailable } from './isPlatformDeployAvailable';
export { platformDeployApiRef } from './api/PlatformDeployApi';
export type {
  PlatformDeployApi,
  DeployOverviewRequest,
} from './api/PlatformDeployApi';
export { PlatformDeployClient } from './api/PlatformDeployClient';
