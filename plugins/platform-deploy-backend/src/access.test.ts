/*
 * Who may call the platform-deploy API, with every part real: Backstage's
 * own auth services (static external-access tokens from config, user tokens
 * issued by the auth backend's guest provider), the permission backend with
 * the portal's policy, and the catalog backend reading a file location.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authBackend from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import platformPolicy from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import path from 'node:path';
import request from 'supertest';
import { platformDeployPlugin } from './plugin';
import { CATALOG_SYNC_TASK_ID } from './service/CatalogEntitySync';

jest.setTimeout(60_000);

const GUEST = 'user:development/guest';

/** Static tokens as `backend.auth.externalAccess` declares them. */
const tokens = {
  ingest: 'ci-ingest-0123456789abcdef',
  ciA: 'ci-a-0123456789abcdef0123',
  ciB: 'ci-b-0123456789abcdef0123',
  catalogOnly: 'catalog-reader-0123456789ab',
};

const staticToken = (token: string, subject: string, plugin: string) => ({
  type: 'static',
  options: { token, subject },
  accessRestrictions: [{ plugin }],
});

const bearer = (token: string) => `Bearer ${token}`;

const event = (overrides: Record<string, unknown> = {}) => ({
  entityRef: 'component:default/chat-backend',
  environment: 'production',
  version: 'main-abc1234',
  status: 'succeeded',
  idempotencyKey: `access-${Math.random()}`,
  ...overrides,
});

async function start() {
  const scheduler = mockServices.scheduler();
  const { server } = await startTestBackend({
    features: [
      platformDeployPlugin,
      catalogBackend,
      permissionBackend,
      platformPolicy,
      authBackend,
      guestProvider,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            auth: {
              externalAccess: [
                staticToken(tokens.ingest, 'ci-ingest', 'platform-deploy'),
                staticToken(tokens.ciA, 'ci-a', 'platform-deploy'),
                staticToken(tokens.ciB, 'ci-b', 'platform-deploy'),
                staticToken(tokens.catalogOnly, 'catalog-reader', 'catalog'),
              ],
            },
          },
          auth: {
            providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
          },
          permission: { enabled: true },
          platformPolicy: {
            platformTeams: ['group:default/platform-team'],
            readOnlyUsers: [GUEST],
          },
          catalog: {
            rules: [{ allow: ['Component'] }],
            locations: [
              {
                type: 'file',
                target: path.resolve(__dirname, '__fixtures__/catalog.yaml'),
              },
            ],
          },
          platformDeploy: {
            environments: ['staging', 'production'],
            ingest: { eventsPerMinute: 3 },
          },
          platformPortal: {
            ingest: {
              credentials: [
                { subject: 'ci-ingest', allEntities: true },
                { subject: 'ci-a', entities: ['component:default/metrics-a'] },
                { subject: 'ci-b', owners: ['group:default/metrics-team'] },
              ],
            },
          },
        },
      }),
    ],
  });
  return { server, scheduler };
}

type Server = Awaited<ReturnType<typeof start>>['server'];

/** A user token for the guest, from the auth backend's guest provider. */
async function guestToken(server: Server): Promise<string> {
  const res = await request(server)
    .get('/api/auth/guest/refresh')
    .set('x-requested-with', 'XMLHttpRequest');
  expect(res.status).toBe(200);
  return res.body.backstageIdentity.token;
}

/** Waits (with a deadline) until the catalog has read the fixture's 12 components. */
async function waitForCatalog(server: Server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=component&limit=100')
      .set('authorization', bearer(tokens.catalogOnly));
    if (res.body.items?.length === 12) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('the catalog never processed the fixture');
}

describe('platform-deploy access, with real tokens, policy and catalog', () => {
  let server: Server;
  let guest: string;

  beforeAll(async () => {
    const started = await start();
    server = started.server;
    await waitForCatalog(server);
    await started.scheduler.triggerTask(CATALOG_SYNC_TASK_ID);
    guest = bearer(await guestToken(server));
  });

  const ingest = (authorization: string | undefined, body: object) => {
    const req = request(server).post('/api/platform-deploy/v1/events');
    if (authorization) req.set('authorization', authorization);
    return req.send(body);
  };

  const historyCount = async (name: string) => {
    const res = await request(server)
      .get(`/api/platform-deploy/v1/entities/component/default/${name}`)
      .set('authorization', guest);
    expect(res.status).toBe(200);
    return res.body.totalHistory as number;
  };

  it('lets the guest read the overview, an entity and the metrics', async () => {
    for (const p of [
      '/v1/overview?system=chat',
      '/v1/entities/component/default/chat-web',
      '/v1/metrics?system=chat',
    ]) {
      const res = await request(server)
        .get(`/api/platform-deploy${p}`)
        .set('authorization', guest);
      expect([p, res.status]).toEqual([p, 200]);
    }
  });

  it('refuses the guest, a user, who tries to ingest, and stores nothing', async () => {
    const res = await ingest(
      guest,
      event({ entityRef: 'component:default/reject-backend' }),
    );
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(await historyCount('reject-backend')).toBe(0);
  });

  it('stores what CI reports with its static token, for the guest to read', async () => {
    const res = await ingest(
      bearer(tokens.ingest),
      event({ entityRef: 'component:default/batch-backend' }),
    );
    expect(res.body).toEqual({ stored: 1, duplicates: 0 });
    expect(res.status).toBe(200);
    expect(await historyCount('batch-backend')).toBe(1);
  });

  it('refuses a static token restricted to another plugin, and a request without a token', async () => {
    const body = event({ entityRef: 'component:default/reject-backend' });
    // a valid token, but not for this plugin (its access restrictions)
    const otherPlugin = await ingest(bearer(tokens.catalogOnly), body);
    expect(otherPlugin.status).toBe(403);
    expect(otherPlugin.body.error.name).toBe('NotAllowedError');
    const unknown = await ingest(bearer('not-a-configured-token'), body);
    expect(unknown.status).toBe(401);
    const none = await ingest(undefined, body);
    expect(none.status).toBe(401);
    const read = await request(server).get('/api/platform-deploy/v1/overview');
    expect(read.status).toBe(401);
    expect(await historyCount('reject-backend')).toBe(0);
  });

  it("refuses a static token's report outside its scope, naming the entity and its owner, and stores nothing", async () => {
    const res = await ingest(
      bearer(tokens.ciB),
      event({ entityRef: 'component:default/chat-backend' }),
    );
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    // a static token's principal subject is its configured subject, bare
    expect(res.body.error.message).toMatch(
      /^entityRef: ci-b may not report for component:default\/chat-backend \(owned by group:default\/chat-team\); it reports for entities owned by group:default\/metrics-team$/,
    );
    expect(await historyCount('chat-backend')).toBe(0);
  });

  it('counts the ingest rate per static token', async () => {
    const post = (token: string) =>
      ingest(
        bearer(token),
        event({ entityRef: 'component:default/metrics-a' }),
      );
    for (let i = 0; i < 3; i++) {
      expect((await post(tokens.ciA)).status).toBe(200);
    }
    const limited = await post(tokens.ciA);
    expect(limited.status).toBe(429);
    expect(limited.body.error.name).toBe('TooManyRequestsError');
    // another CI job's token is not affected
    expect((await post(tokens.ciB)).status).toBe(200);
    expect(await historyCount('metrics-a')).toBe(4);
  });
});
