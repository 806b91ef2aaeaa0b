import { HttpAuthService } from '@backstage/backend-plugin-api';
import { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';

/** Options of {@link createIngestRateLimit}. @public */
export type IngestRateLimitOptions = {
  /** Used to read the caller's credentials. */
  httpAuth: HttpAuthService;
  /** Requests per token per window; default 600 (10/s sustained). */
  limit?: number;
  /** Window length; default one minute. */
  windowMs?: number;
};

/**
 * Rate limit of an ingest route per caller: the key is the principal of the
 * token (the external access token's subject, or a service's plugin id), not
 * the client address, so one noisy CI job cannot starve the others behind the
 * same NAT. A caller without valid credentials gets the route's own 401.
 *
 * The counter lives in each replica's memory: with N replicas the effective
 * limit is up to N times the configured one.
 *
 * @public
 */
export function createIngestRateLimit(
  options: IngestRateLimitOptions,
): RequestHandler {
  const { httpAuth } = options;
  return rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.limit ?? 600,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: async req => {
      try {
        const credentials = await httpAuth.credentials(req, {
          allow: ['service'],
        });
        return `service:${credentials.principal.subject}`;
      } catch {
        return 'unauthenticated';
      }
    },
    skip: async req => {
      // Unauthenticated requests are not counted: the route answers 401.
      try {
        await httpAuth.credentials(req, { allow: ['service'] });
        return false;
      } catch {
        return true;
      }
    },
    handler: (_req, res, _next, opts) => {
      res.status(opts.statusCode).json({
        error: {
          name: 'TooManyRequestsError',
          message: `Too many ingest requests for this token: at most ${
            opts.limit
          } per ${Math.round(
            opts.windowMs / 1000,
          )} s; retry after the Retry-After header`,
        },
        response: { statusCode: opts.statusCode },
      });
    },
  });
}
