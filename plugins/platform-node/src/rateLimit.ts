import { HttpAuthService } from '@backstage/backend-plugin-api';
import { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Options of {@link createIngestRateLimit}. @public */
export type IngestRateLimitOptions = {
  /** Used to read the caller's credentials. */
  httpAuth: HttpAuthService;
  /** Reports (events, runs) per credential per window; default 6000 (100/s sustained). */
  limit?: number;
  /** Window length; default one minute. */
  windowMs?: number;
  /**
   * How many reports a request carries (its batch length), read from the
   * parsed body; default 1. Place the limit after the JSON body parser.
   */
  countItems?: (body: unknown) => number;
};

/** A 429 in the portal's error format, with the wait in `Retry-After`. */
class TooManyRequestsError extends Error {
  readonly statusCode = 429;
  constructor(message: string) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}

/**
 * Rate limit of an ingest route per credential, counted in reports, not
 * requests: a batch of 500 runs costs 500, so splitting a backfill into
 * single-event requests buys nothing and one large batch cannot hide a
 * flood. The key is the principal of the token (the external access token's
 * subject), not the client address, so one noisy CI job cannot starve the
 * others behind the same NAT. A caller without valid credentials is not
 * counted (the route answers 401).
 *
 * The counters live in each replica's memory: with N replicas a credential
 * may report up to N times the limit.
 *
 * @public
 */
export function createIngestRateLimit(
  options: IngestRateLimitOptions,
): RequestHandler {
  const { httpAuth } = options;
  const limit = options.limit ?? 6000;
  const windowMs = options.windowMs ?? 60_000;
  const countItems = options.countItems ?? (() => 1);
  const limiter = new RateLimiterMemory({
    points: limit,
    duration: Math.max(1, Math.round(windowMs / 1000)),
  });
  const perWindow = `at most ${limit} reports per ${Math.round(
    windowMs / 1000,
  )} s`;

  return async (req, res, next) => {
    let subject: string;
    try {
      const credentials = await httpAuth.credentials(req, {
        allow: ['service'],
      });
      subject = credentials.principal.subject;
    } catch {
      next(); // the route answers 401/403
      return;
    }
    const items = Math.max(1, Math.floor(countItems(req.body)) || 1);
    if (items > limit) {
      next(
        new TooManyRequestsError(
          `A request of ${items} reports is over this credential's limit (${perWindow}); send smaller batches`,
        ),
      );
      return;
    }
    try {
      await limiter.consume(`service:${subject}`, items);
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        next(rejection);
        return;
      }
      res.set(
        'Retry-After',
        String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))),
      );
      next(
        new TooManyRequestsError(
          `Too many reports for this credential: ${perWindow}; retry after the Retry-After header`,
        ),
      );
    }
  };
}
