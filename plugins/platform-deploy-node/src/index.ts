/**
 * Backend library of the platform-deploy plugins: the extension point for
 * deployment sources, and the reader of the cost model's config
 * (`platformDeploy.costs`) that every backend consumer of the model uses.
 *
 * @packageDocumentation
 */
export type {
  DeploymentEventSink,
  DeploymentSource,
  PlatformDeploySourcesExtensionPoint,
} from './extensions';
export { platformDeploySourcesExtensionPoint } from './extensions';
export { readCostsConfig } from './costs/readCostsConfig';
