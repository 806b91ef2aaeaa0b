/**
 * The health backend plugin: alerts, incidents and silences per service from
 * Alertmanager.
 *
 * @packageDocumentation
 */
export { healthPlugin as default } from './plugin';
