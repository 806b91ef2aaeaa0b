import { mockServices } from '@backstage/backend-test-utils';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { AuthenticationError, InputError } from '@backstage/errors';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import request from 'supertest';
import { createErrorFilter } from './errorFilter';
import { createIngestRateLimit } from './rateLimit';

/**
 * A double of HttpAuthService keyed by token, as Backstage's static external
 * access tokens are (`Bearer ci-a` is the principal `external:ci-a`); the
 * test backend's mock auth gives every service token the same subject.
 */
const staticTokenAuth = {
  credentials: async (req: express.Request) => {
    const token = /^Bearer (ci-\w+)$/.exec(
      req.headers.authorization ?? '',
    )?.[1];
    if (!token) throw new AuthenticationError('Missing credentials');
    return { principal: { type: 'service', subject: `external:${token}` } };
  },
} as unknown as HttpAuthService;

/** An app as a plugin router sees it: our middleware, then Backstage's error handler. */
function app(route: express.RequestHandler, limit = 3) {
  const logger = mockServices.logger.mock();
  const httpAuth = staticTokenAuth;
  const router = express.Router();
  router.post(
    '/ingest',
    createIngestRateLimit({ httpAuth, limit, windowMs: 60_000 }),
    route,
  );
  router.use(createErrorFilter(logger));
  const server = express();
  server.use(router);
  server.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger,
    }).error({ showStackTraces: true }),
  );
  return { server, logger };
}

const tokenA = 'Bearer ci-a';
const tokenB = 'Bearer ci-b';

describe('createIngestRateLimit', () => {
  it('counts per token and answers 429 with Retry-After', async () => {
    const { server } = app((_req, res) => {
      res.json({ ok: true });
    });
    for (let i = 0; i < 3; i++) {
      await request(server)
        .post('/ingest')
        .set('authorization', tokenA)
        .expect(200);
    }
    const limited = await request(server)
      .post('/ingest')
      .set('authorization', tokenA);
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(/at most 3 per 60 s/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // another token is not affected
    await request(server)
      .post('/ingest')
      .set('authorization', tokenB)
      .expect(200);
  });

  it('does not count requests without a valid token', async () => {
    const { server } = app((_req, res) => {
      res.json({ ok: true });
    }, 1);
    for (let i = 0; i < 3; i++) {
      const res = await request(server).post('/ingest');
      expect(res.status).not.toBe(429);
    }
  });
});

describe('createErrorFilter', () => {
  it('keeps the message of a 4xx but not its stack', async () => {
    const { server } = app(() => {
      throw new InputError('environment: unknown environment "qa"');
    });
    const res = await request(server)
      .post('/ingest')
      .set('authorization', tokenA);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'environment: unknown environment "qa"',
    );
    expect(res.body.error.stack).toBeUndefined();
  });

  it('answers 503 while the database is down', async () => {
    const { server } = app(() => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      });
    });
    const res = await request(server)
      .post('/ingest')
      .set('authorization', tokenA);
    expect(res.status).toBe(503);
    expect(JSON.stringify(res.body)).not.toContain('5432');
  });

  it('hides SQL and driver messages behind a log id', async () => {
    const { server, logger } = app(() => {
      throw Object.assign(
        new Error(
          'insert into "deploy_events" ("x") values ($1) - SQLITE_CONSTRAINT: NOT NULL constraint failed',
        ),
        { name: 'SqliteError' },
      );
    });
    const res = await request(server)
      .post('/ingest')
      .set('authorization', tokenA);
    expect(res.status).toBe(500);
    const body = JSON.stringify(res.body);
    expect(body).not.toMatch(/insert into|SQLITE|deploy_events/);
    expect(res.body.error.stack).toBeUndefined();
    const logId = /logId=([0-9a-f]+)/.exec(res.body.error.message)![1];
    expect(logger.error).toHaveBeenCalledWith(
      `Internal error logId=${logId}`,
      expect.objectContaining({ name: 'SqliteError' }),
    );
  });
});
