import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import request from 'supertest';
import { createErrorFilter } from './errorFilter';

/** An app as a plugin router sees it: our filter, then Backstage's error handler. */
function app(route: express.RequestHandler) {
  const logger = mockServices.logger.mock();
  const router = express.Router();
  router.post('/ingest', route);
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

describe('createErrorFilter', () => {
  it('keeps the message of a 4xx but not its stack', async () => {
    const { server } = app(() => {
      throw new InputError('environment: unknown environment "qa"');
    });
    const res = await request(server).post('/ingest');
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
    const res = await request(server).post('/ingest');
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
    const res = await request(server).post('/ingest');
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
