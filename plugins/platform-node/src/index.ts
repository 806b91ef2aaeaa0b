/**
 * The platform portal's backend kit: what every backend plugin and module of
 * the portal shares (authorization, ingest scopes, trusted locations, input
 * validation with one error format, JSON bodies, audited writes, schedules
 * from config, ingest rate limits, the error filter, migrations under a lock
 * and retention jobs).
 *
 * @packageDocumentation
 */
export { authorize } from './authorize';
export type { AuthorizeRequest } from './authorize';
export { httpSource, IngestScopes } from './ingestScopes';
export type { IngestScopeConfig, IngestTarget } from './ingestScopes';
export { readTrustedLocations, trustedLocations } from './trust';
export type { TrustedLocations } from './trust';
export { parseOrThrow, describeIssues, formatIssuePath } from './parse';
export type { ParseableSchema, SchemaIssue } from './parse';
export { jsonBody } from './jsonBody';
export { audited, distinctSample } from './audit';
export { readScheduleFromConfig } from './schedule';
export { createErrorFilter, isDatabaseUnavailable } from './errorFilter';
export { createIngestRateLimit } from './rateLimit';
export { createReportHandlers } from './reportRoute';
export type { ReportIngestOptions } from './reportRoute';
export type { IngestRateLimitOptions } from './rateLimit';
export { migrateWithLock } from './migrations';
export { RetentionTask } from './retention';
export type { RetentionTaskOptions } from './retention';
export { addWarmUpHook, DEFAULT_WARM_UP_TIMEOUT_MS } from './warmUp';
