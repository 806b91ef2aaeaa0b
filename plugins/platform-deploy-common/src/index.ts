/**
 * Types, API schemas and permissions shared by the platform-deploy plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './schema';
export * from './permissions';
export * from './annotations';
export * from './costs';
