import { InputError } from '@backstage/errors';
import express, { ErrorRequestHandler, RequestHandler } from 'express';

/**
 * JSON body parsing for a router, with body errors in the portal's error
 * format: a body over `limit` is `413 PayloadTooLargeError` (with `hint`, e.g.
 * how many items a batch may hold), broken JSON is `400 InputError`.
 *
 * @example
 * ```ts
 * router.use(jsonBody({ limit: '1mb', hint: 'send at most 1000 events per request' }));
 * ```
 *
 * @public
 */
export function jsonBody(options: {
  limit: string;
  hint?: string;
}): Array<RequestHandler | ErrorRequestHandler> {
  const mapErrors: ErrorRequestHandler = (error, _req, _res, next) => {
    if (error?.type === 'entity.too.large') {
      const tooLarge = new Error(
        `Request body is larger than ${options.limit}${
          options.hint ? `; ${options.hint}` : ''
        }`,
      );
      tooLarge.name = 'PayloadTooLargeError';
      (tooLarge as Error & { statusCode: number }).statusCode = 413;
      next(tooLarge);
      return;
    }
    if (error?.type === 'entity.parse.failed') {
      next(new InputError('body: not valid JSON'));
      return;
    }
    next(error);
  };
  return [express.json({ limit: options.limit }), mapErrors];
}
