/**
 * The backup-status backend plugin: ingests backup runs, computes each
 * entity's backup health against its policy and serves it over HTTP.
 *
 * @packageDocumentation
 */
export { backupStatusPlugin as default } from './plugin';
