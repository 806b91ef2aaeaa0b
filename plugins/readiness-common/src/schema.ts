import { z } from 'zod/v3';

/** Query of `GET /v1/trend`. @public */
export const trendQuerySchema = z
  .object({
    days: z.coerce.number().int().min(1).max(365).default(90),
  })
  .strict();

/** Query of `GET /v1/overview` and `GET /v1/overview.csv`: none. @public */
export const overviewQuerySchema = z.object({}).strict();

/** Query of `GET /v1/summary`: none. @public */
export const summaryQuerySchema = z.object({}).strict();

/**
 * Query of `GET /v1/entities`: a page of the evaluated entities, filtered
 * by a search term (in the ref or title), a system, an owner and a level
 * (`none` for entities without one). An empty `system` or `owner` is the
 * entities without one.
 *
 * @public
 */
export const entitiesQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    system: z.string().max(255).optional(),
    owner: z.string().max(255).optional(),
    level: z.string().min(1).max(63).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

/** The parsed query of `GET /v1/entities`. @public */
export type ReadinessEntitiesQuery = z.infer<typeof entitiesQuerySchema>;
