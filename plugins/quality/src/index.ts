/**
 * Quality frontend plugin: the entity **Quality** tab, with test coverage
 * against the target, its history, the files below target and the critical
 * paths, and the image scans of the version live in each environment. The
 * new frontend system plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */

export { qualityPlugin, EntityQualityContent } from './plugin';
export { isQualityAvailable } from './isQualityAvailable';
export { qualityApiRef } from './api/QualityApi';
export type { QualityApi } from './api/QualityApi';
export { QualityClient } from './api/QualityClient';
