/**
 * Production readiness frontend plugin: the "Production readiness" and
 * "Status" entity cards and the `/platform/readiness` page. The new frontend
 * system plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */

export {
  readinessPlugin,
  EntityReadinessCard,
  EntityStatusCard,
  ReadinessPage,
} from './plugin';
export { isReadinessAvailable } from './isReadinessAvailable';
export { readinessApiRef } from './api/ReadinessApi';
export type { ReadinessApi, EntityHealthSummary } from './api/ReadinessApi';
export { ReadinessClient } from './api/ReadinessClient';
