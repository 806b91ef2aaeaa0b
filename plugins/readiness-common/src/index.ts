/**
 * Types, schemas and the permission shared by the readiness frontend and
 * backend.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './schema';
export * from './permissions';
