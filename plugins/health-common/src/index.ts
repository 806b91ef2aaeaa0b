/**
 * Types, API schemas, permissions and the alert-selector annotation shared by
 * the health plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './schema';
export * from './types';
