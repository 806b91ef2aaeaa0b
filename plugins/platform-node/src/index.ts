/**
 * Shared hardening of the platform portal's backend plugins.
 *
 * @packageDocumentation
 */
export { createErrorFilter, isDatabaseUnavailable } from './errorFilter';
export { createIngestRateLimit } from './rateLimit';
export type { IngestRateLimitOptions } from './rateLimit';
export { migrateWithLock } from './migrations';
