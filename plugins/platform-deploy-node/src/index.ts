/**
 * Extension points for modules of the platform-deploy backend plugin.
 *
 * @packageDocumentation
 */
export type {
  DeploymentEventSink,
  DeploymentSource,
  PlatformDeploySourcesExtensionPoint,
} from './extensions';
export { platformDeploySourcesExtensionPoint } from './extensions';
