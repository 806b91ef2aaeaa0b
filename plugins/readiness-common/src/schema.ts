import { z } from 'zod/v3';

/** Query of `GET /v1/trend`. @public */
export const trendQuerySchema = z
  .object({
    days: z.coerce.number().int().min(1).max(365).default(90),
  })
  .strict();

/** Query of `GET /v1/overview` and `GET /v1/overview.csv`: none. @public */
export const overviewQuerySchema = z.object({}).strict();
