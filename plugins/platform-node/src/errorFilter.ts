import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ServiceUnavailableError,
  isError,
  NotModifiedError,
  InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
  NotImplementedError,
} from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import { ErrorRequestHandler } from 'express';

/** Errors whose message is written for the caller (4xx and 503). */
const CALLER_ERRORS = new Set([
  NotModifiedError.name,
  InputError.name,
  AuthenticationError.name,
  NotAllowedError.name,
  NotFoundError.name,
  ConflictError.name,
  NotImplementedError.name,
  ServiceUnavailableError.name,
  'PayloadTooLargeError',
  'TooManyRequestsError',
]);

/** Codes of a database that is down, restarting or out of connections. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown (PostgreSQL restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08003',
  '08006', // connection_failure
  'SQLITE_BUSY',
]);

/**
 * Whether an error means the database is down, restarting or out of
 * connections (connection error codes, knex pool timeouts).
 *
 * @public
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!isError(error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return (
    error.name === 'KnexTimeoutError' ||
    /Connection terminated|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)/i.test(
      error.message,
    )
  );
}

function withoutStack<T extends Error>(error: T): T {
  // serializeError only adds the stack when one is present
  Object.defineProperty(error, 'stack', { value: undefined, writable: true });
  return error;
}

/**
 * Express error middleware for our routers, placed after the routes: the
 * caller gets the message of a 4xx, a 503 while the database is unavailable
 * (so retries by idempotency key know to come back), and for anything else a
 * generic message with a log id; never a stack trace, SQL or a driver's
 * message. The full error goes to the log.
 *
 * @public
 */
export function createErrorFilter(logger: LoggerService): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    if (!isError(error)) {
      next(error);
      return;
    }
    const status =
      (error as { statusCode?: number; status?: number }).statusCode ??
      (error as { status?: number }).status;
    if (
      CALLER_ERRORS.has(error.name) ||
      (typeof status === 'number' && status >= 400 && status < 500)
    ) {
      next(withoutStack(error));
      return;
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn(`Database unavailable: ${error.message}`);
      next(
        withoutStack(
          new ServiceUnavailableError(
            'The database is unavailable; retry with the same idempotency key',
          ),
        ),
      );
      return;
    }
    const logId = randomBytes(8).toString('hex');
    logger.error(`Internal error logId=${logId}`, error);
    next(withoutStack(new Error(`Internal error (logId=${logId})`)));
  };
}
