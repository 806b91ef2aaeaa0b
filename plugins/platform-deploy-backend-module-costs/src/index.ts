/**
 * Cost views for the platform-deploy backend plugin:
 * `GET /api/platform-deploy/v1/costs`.
 *
 * @packageDocumentation
 */
export { platformDeployModuleCosts as default } from './module';
