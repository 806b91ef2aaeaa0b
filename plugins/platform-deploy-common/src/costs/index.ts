/**
 * The cost model: pure functions from the config (`platformDeploy.costs`) and
 * the catalog's Components to what each server, system and service costs a
 * month, against the estate's targets. No I/O: the backend feeds it, the
 * scaffolder can estimate with it.
 */
export * from './types';
export * from './quantities';
export * from './config';
export * from './services';
export * from './model';
