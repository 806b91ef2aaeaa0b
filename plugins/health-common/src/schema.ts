import { z } from 'zod/v3';

/** The longest silence the portal creates: 7 days. @public */
export const MAX_SILENCE_DAYS = 7;

/** `POST /v1/entities/:kind/:namespace/:name/silences`. @public */
export const createSilenceSchema = z
  .object({
    reason: z.string().trim().min(3).max(500),
    endsAt: z.string().datetime({ offset: true }),
  })
  .strict();

/**
 * A request to silence an entity's alerts: why, and until when.
 *
 * @public
 */
export type CreateSilenceRequest = z.infer<typeof createSilenceSchema>;

/**
 * `GET /v1/overview?q=`: the services whose entity ref, title, owner or
 * system contain `q` (case-insensitive); all of them without it.
 *
 * @public
 */
export const overviewQuerySchema = z
  .object({ q: z.string().trim().max(200).optional() })
  .strict();

/** The query of `GET /v1/overview`. @public */
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

const labelSet = z.record(z.string().max(1024));

/**
 * The body Alertmanager's webhook receiver posts (version 4); only the
 * fields the portal reads are checked, the others are ignored.
 *
 * @public
 */
export const alertmanagerWebhookSchema = z.object({
  version: z.literal('4'),
  status: z.enum(['firing', 'resolved']),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: labelSet,
        annotations: labelSet.default({}),
        startsAt: z.string().datetime({ offset: true }),
        endsAt: z.string(),
        fingerprint: z.string().regex(/^[0-9a-f]{1,32}$/),
      }),
    )
    .max(1000),
});

/**
 * What Alertmanager's webhook receiver posts (version 4 of its payload).
 *
 * @public
 */
export type AlertmanagerWebhook = z.infer<typeof alertmanagerWebhookSchema>;
