import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { createErrorFilter } from './errorFilter';
import { createIngestRateLimit } from './rateLimit';

const TOKEN_A = 'rate-limit-token-a-0123456789';
const TOKEN_B = 'rate-limit-token-b-0123456789';

/**
 * A plugin whose one ingest route is behind the limit (5 reports a minute),
 * on a real backend whose static external access tokens are read from
 * config, as in production: the key is each token's own subject.
 */
const ingestPlugin = createBackendPlugin({
  pluginId: 'ingest-test',
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ httpAuth, httpRouter, logger }) {
        const router = Router();
        router.use(express.json());
        router.post(
          '/events',
          createIngestRateLimit({
            httpAuth,
            limit: 5,
            countItems: body =>
              Array.isArray((body as { events?: unknown[] })?.events)
                ? (body as { events: unknown[] }).events.length
                : 1,
          }),
          async (req, res) => {
            await httpAuth.credentials(req, { allow: ['service'] });
            res.json({ ok: true });
          },
        );
        router.use(createErrorFilter(logger));
        httpRouter.use(router);
      },
    });
  },
});

describe('createIngestRateLimit', () => {
  async function start() {
    const { server } = await startTestBackend({
      features: [
        ingestPlugin,
        // the real auth services: tokens are checked against the config
        authServiceFactory,
        httpAuthServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: TOKEN_A, subject: 'ci-a' },
                  },
                  {
                    type: 'static',
                    options: { token: TOKEN_B, subject: 'ci-b' },
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    const post = (token: string | undefined, events: number) => {
      const req = request(server).post('/api/ingest-test/events');
      if (token) req.set('authorization', `Bearer ${token}`);
      return req.send(
        events === 1
          ? { one: true }
          : { events: Array.from({ length: events }, () => ({})) },
      );
    };
    return { post };
  }

  it('counts reports, not requests, per token, and answers 429 with Retry-After', async () => {
    const { post } = await start();
    expect((await post(TOKEN_A, 3)).status).toBe(200);
    expect((await post(TOKEN_A, 1)).status).toBe(200);
    // 4 of 5 used: a batch of 2 is over
    const limited = await post(TOKEN_A, 2);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({
      name: 'TooManyRequestsError',
      message: expect.stringMatching(/at most 5 reports per 60 s/),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // the other token's budget is its own
    expect((await post(TOKEN_B, 5)).status).toBe(200);
  });

  it('refuses a batch larger than the whole limit, saying so', async () => {
    const { post } = await start();
    const res = await post(TOKEN_A, 6);
    expect(res.status).toBe(429);
    expect(res.body.error.message).toMatch(
      /A request of 6 reports is over this credential's limit/,
    );
  });

  it('does not count callers without a valid token (they get 401)', async () => {
    const { post } = await start();
    for (let i = 0; i < 7; i++) {
      expect((await post(undefined, 1)).status).toBe(401);
      expect((await post('not-a-configured-token-0000', 1)).status).toBe(401);
    }
    expect((await post(TOKEN_A, 5)).status).toBe(200);
  });
});
