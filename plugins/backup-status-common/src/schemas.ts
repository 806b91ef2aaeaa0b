import { z } from 'zod/v3';
import { MAX_BATCH_RUNS } from './constants';

/** Earliest plausible report time. */
const EARLIEST_TIMESTAMP = Date.parse('2000-01-01T00:00:00Z');

/**
 * How far ahead of its receipt a reported time may be (five minutes), in ms:
 * room for a backup job's clock drift, not enough for a run dated ahead to
 * hold an entity's status green (its age would count from the future). The
 * same bound as platform-deploy's.
 *
 * @public
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const isoTimestamp = z
  .string()
  .max(40)
  .datetime({ offset: true, message: 'must be an ISO 8601 timestamp' })
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
 * Body of one run report (`POST /v1/runs`). Strict: unknown fields are rejected.
 *
 * @public
 */
export const runReportSchema = z
  .object({
    entityRef: z.string().min(1).max(255),
    type: z.enum(['backup', 'restore-test', 'drill']),
    status: z.enum(['succeeded', 'failed']),
    startedAt: isoTimestamp,
    finishedAt: isoTimestamp,
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    sizeBytes: z
      .number()
      .int()
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER)
      .optional(),
    location: z.string().max(1024).optional(),
    checksum: z.string().max(200).optional(),
    tool: z.string().max(100).optional(),
    message: z.string().max(2000).optional(),
    oldestKeptAt: isoTimestamp.optional(),
  })
  .strict()
  .refine(r => Date.parse(r.finishedAt) >= Date.parse(r.startedAt), {
    message: 'must not be before startedAt',
    path: ['finishedAt'],
  });

/** A run report as validated. @public */
export type RunReport = z.infer<typeof runReportSchema>;

/**
 * Body of `POST /v1/runs`: one report, or `{ runs: [...] }` with up to 500.
 *
 * @public
 */
export const ingestBodySchema = z.union([
  z
    .object({ runs: z.array(runReportSchema).min(1).max(MAX_BATCH_RUNS) })
    .strict(),
  runReportSchema,
]);

/** The batch form of the `POST /v1/runs` body. @public */
export const runBatchSchema = z
  .object({ runs: z.array(runReportSchema).min(1).max(MAX_BATCH_RUNS) })
  .strict();

/** Query of `GET /v1/overview`. @public */
export const overviewQuerySchema = z
  .object({
    status: z.enum(['ok', 'warning', 'critical', 'unknown']).optional(),
    policy: z.string().max(100).optional(),
    owner: z.string().max(255).optional(),
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** Query of `GET /v1/entities/:kind/:namespace/:name`. @public */
export const entityRunsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
