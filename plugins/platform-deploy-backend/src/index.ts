/**
 * The platform-deploy backend plugin: stores deployment events and serves the
 * deployment status of every service in every environment.
 *
 * @packageDocumentation
 */
export { platformDeployPlugin as default } from './plugin';
