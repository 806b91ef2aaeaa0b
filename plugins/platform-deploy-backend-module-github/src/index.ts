/**
 * GitHub deployment webhooks for the platform-deploy backend plugin.
 *
 * @packageDocumentation
 */
export { platformDeployModuleGithub as default } from './module';
