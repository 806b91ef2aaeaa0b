/**
 * Common types, zod schemas, permissions and the status engine of the
 * backup-status plugin.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './constants';
export * from './permissions';
export * from './schemas';
export { computeBackupStatus } from './computeBackupStatus';
export { formatBytes } from './format';
