/**
 * The readiness backend plugin: production readiness scorecards.
 *
 * @packageDocumentation
 */
export { readinessPlugin as default } from './plugin';
