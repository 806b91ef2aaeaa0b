import { z } from 'zod/v3';
import { DEPLOYMENT_STATUSES } from './types';

/** Earliest plausible report time (2000-01-01), in ms since the epoch. @public */
export const EARLIEST_TIMESTAMP = Date.parse('2000-01-01T00:00:00Z');
/**
 * How far ahead of its receipt a reported time may be (five minutes), in ms:
 * room for a CI runner's clock drift, not enough for one event dated ahead
 * to hold a service's state (newer events are backfills until then).
 *
 * @public
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Whether a string is an absolute `http:` or `https:` URL: the only links
 * that may reach a page (`javascript:`, `data:`, `file:` ... never do).
 * Isomorphic (the WHATWG `URL` of browsers and Node): the frontend checks
 * links with it too.
 *
 * @public
 */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** An absolute http(s) URL of at most 2048 characters. @public */
export const httpUrlSchema = z
  .string()
  .max(2048)
  .refine(isHttpUrl, { message: 'must be an http(s) URL' });

const isoTimestamp = z
  .string()
  .max(40)
  .refine(v => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v), {
    message: 'must be an ISO 8601 timestamp such as 2026-11-23T10:00:00Z',
  })
  .refine(
    v =>
      Date.parse(v) >= EARLIEST_TIMESTAMP &&
      Date.parse(v) <= Date.now() + MAX_CLOCK_SKEW_MS,
    {
      message:
        'must be after 2000-01-01 and not more than 5 minutes ahead of now',
    },
  );

/**
 * The body CI posts for one deployment event. Unknown fields are rejected.
 *
 * @public
 */
export const deploymentEventInputSchema = z
  .object({
    entityRef: z.string().min(1).max(255),
    environment: z.string().min(1).max(63),
    version: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\w][\w.\-+]*$/, 'must be an image tag such as main-abc1234'),
    status: z.enum(DEPLOYMENT_STATUSES),
    idempotencyKey: z.string().min(8).max(200),
    commitSha: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/, 'must be a hex commit SHA')
      .optional(),
    commitTimestamp: isoTimestamp.optional(),
    color: z.enum(['blue', 'green']).optional(),
    startedAt: isoTimestamp.optional(),
    finishedAt: isoTimestamp.optional(),
    runUrl: httpUrlSchema.optional(),
    actor: z.string().min(1).max(255).optional(),
  })
  .strict()
  .refine(
    e =>
      !e.startedAt ||
      !e.finishedAt ||
      Date.parse(e.finishedAt) >= Date.parse(e.startedAt),
    { message: 'must not be before startedAt', path: ['finishedAt'] },
  );

/** One deployment event as CI posts it. @public */
export type DeploymentEventInput = z.infer<typeof deploymentEventInputSchema>;

/** Largest batch accepted by one request. @public */
export const MAX_BATCH_EVENTS = 1000;

/** The batch form for backfills: `{ "events": [...] }`. @public */
export const deploymentEventBatchSchema = z
  .object({
    events: z.array(deploymentEventInputSchema).min(1).max(MAX_BATCH_EVENTS),
  })
  .strict();

/** Query of `GET /v1/overview`. @public */
export const overviewQuerySchema = z
  .object({
    system: z.string().max(255).optional(),
    owner: z.string().max(255).optional(),
    type: z.string().max(63).optional(),
    status: z.enum(DEPLOYMENT_STATUSES).optional(),
    q: z.string().max(255).optional(),
    orderBy: z.enum(['name', 'system', 'owner', 'type']).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** A validated query of `GET /v1/overview`. @public */
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

/**
 * Query of `GET /v1/entities/:kind/:namespace/:name`: the history page.
 *
 * @public
 */
export const historyQuerySchema = z
  .object({
    environment: z.string().max(63).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** Query of `GET /v1/metrics`. @public */
export const metricsQuerySchema = z
  .object({
    entityRef: z.string().max(255).optional(),
    system: z.string().max(255).optional(),
    windowDays: z.coerce.number().int().min(1).max(365).default(30),
  })
  .strict();

/** Query of `GET /v1/entity-facts`. @public */
export const entityFactsQuerySchema = z
  .object({
    windowDays: z.coerce.number().int().min(1).max(365).default(28),
  })
  .strict();
