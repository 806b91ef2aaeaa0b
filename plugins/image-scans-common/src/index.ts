/**
 * Types, the Trivy report schema and permissions shared by the image-scans
 * plugins.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './schema';
export * from './types';
