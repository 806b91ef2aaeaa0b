/*
 * Who may do what, with real parts only: the real auth and httpAuth services
 * with static external access tokens (`backend.auth.externalAccess`), real
 * user tokens issued by the auth backend's guest provider, the real
 * permission backend with the portal's policy module, and the real catalog
 * backend reading src/__fixtures__/catalog.yaml.
 */
import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import authBackend from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import permissionModulePlatformPolicy from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import request from 'supertest';
import { catalogConfig, waitForCatalog } from './__testUtils__/catalog';
import { backupStatusPlugin } from './plugin';

jest.setTimeout(60_000);

const API = '/api/backup-status';

/** Static tokens as in app-config.yaml: the CI token may reach backup-status only. */
const TOKENS = {
  /** The backup jobs' token (app-config's PLATFORM_INGEST_TOKEN). */
  ingest: 'ingest-token-0123456789abcdef',
  /** team-chat's CI: reports for what team-chat owns. */
  chatCi: 'chat-ci-token-0123456789abcdef',
  /** A token restricted to reading backup status. */
  readOnly: 'read-only-token-0123456789abcdef',
  /** A token for another plugin only. */
  deployOnly: 'deploy-only-token-0123456789abcdef',
  /** The test's own token to wait for the catalog. */
  catalog: 'catalog-token-0123456789abcdef',
};

const bearer = (token: string) => `Bearer ${token}`;

function report(key: string, entityRef = 'resource:default/chat-db') {
  const now = Date.now();
  return {
    entityRef,
    type: 'backup',
    status: 'succeeded',
    startedAt: new Date(now - 10 * 60_000).toISOString(),
    finishedAt: new Date(now - 5 * 60_000).toISOString(),
    idempotencyKey: key,
    tool: 'pg_dump',
  };
}

async function start(signedInAs: string) {
  const { server } = await startTestBackend({
    features: [
      backupStatusPlugin,
      catalogBackend,
      permissionBackend,
      permissionModulePlatformPolicy,
      authBackend,
      guestProvider,
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
      userInfoServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          ...catalogConfig(),
          app: { baseUrl: 'http://localhost:3000' },
          permission: { enabled: true },
          auth: {
            providers: {
              // the guest provider signs in as `signedInAs`
              guest: {
                userEntityRef: signedInAs,
                dangerouslyAllowOutsideDevelopment: true,
              },
            },
          },
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: TOKENS.ingest, subject: 'backup-jobs' },
                  accessRestrictions: [{ plugin: 'backup-status' }],
                },
                {
                  type: 'static',
                  options: { token: TOKENS.chatCi, subject: 'ci-chat' },
                  accessRestrictions: [{ plugin: 'backup-status' }],
                },
                {
                  type: 'static',
                  options: { token: TOKENS.readOnly, subject: 'dashboard' },
                  accessRestrictions: [
                    {
                      plugin: 'backup-status',
                      permission: 'backup-status.read',
                    },
                  ],
                },
                {
                  type: 'static',
                  options: { token: TOKENS.deployOnly, subject: 'deploy-ci' },
                  accessRestrictions: [{ plugin: 'platform-deploy' }],
                },
                {
                  type: 'static',
                  options: { token: TOKENS.catalog, subject: 'test' },
                  accessRestrictions: [{ plugin: 'catalog' }],
                },
              ],
            },
          },
          // what each token may report for (the backend kit's IngestScopes):
          // a static token's principal subject is its configured subject
          platformPortal: {
            ingest: {
              credentials: [
                { subject: 'backup-jobs', allEntities: true },
                { subject: 'ci-chat', owners: ['group:default/team-chat'] },
              ],
            },
          },
        },
      }),
    ],
  });
  await waitForCatalog(server, { authorization: bearer(TOKENS.catalog) });
  // a real user token from the auth backend
  const refresh = await request(server)
    .get('/api/auth/guest/refresh')
    .set('x-requested-with', 'XMLHttpRequest');
  expect(refresh.status).toBe(200);
  const userToken: string = refresh.body.backstageIdentity.token;
  expect(refresh.body.backstageIdentity.identity.userEntityRef).toBe(
    signedInAs,
  );
  return { server, userToken };
}

type Started = Awaited<ReturnType<typeof start>>;

/** Read with the ingest token: a service token restricted to this plugin. */
async function storedRuns(server: Started['server']) {
  const res = await request(server)
    .get(`${API}/v1/entities/resource/default/chat-db`)
    .set('authorization', bearer(TOKENS.ingest));
  expect(res.status).toBe(200);
  return res.body.totalRuns as number;
}

describe.each([
  ['the guest (read-only in the policy)', 'user:development/guest'],
  ['a signed-in user', 'user:default/alice'],
])('backup-status permissions for %s', (_name, userRef) => {
  let started: Started;

  beforeAll(async () => {
    started = await start(userRef);
  });

  it('lets the user read the overview and an entity', async () => {
    const { server, userToken } = started;
    const overview = await request(server)
      .get(`${API}/v1/overview`)
      .set('authorization', bearer(userToken));
    expect(overview.status).toBe(200);
    expect(overview.body.items.map((i: any) => i.entityRef).sort()).toEqual([
      'component:default/redis',
      'resource:default/chat-db',
      'resource:default/tape-db',
    ]);
    const details = await request(server)
      .get(`${API}/v1/entities/resource/default/chat-db`)
      .set('authorization', bearer(userToken));
    expect(details.status).toBe(200);
    expect(details.body.entityRef).toBe('resource:default/chat-db');
  });

  it('refuses the user an ingest, storing nothing', async () => {
    const { server, userToken } = started;
    const before = await storedRuns(server);
    const res = await request(server)
      .post(`${API}/v1/runs`)
      .set('authorization', bearer(userToken))
      .send(report(`user-${userRef}`));
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(await storedRuns(server)).toBe(before);
  });

  it('stores what the ingest token reports', async () => {
    const { server } = started;
    const before = await storedRuns(server);
    const key = `ci-${Math.random().toString(36).slice(2)}`;
    const res = await request(server)
      .post(`${API}/v1/runs`)
      .set('authorization', bearer(TOKENS.ingest))
      .send(report(key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 1, duplicates: 0 });
    expect(await storedRuns(server)).toBe(before + 1);
  });

  it("refuses a team's static token outside its scope, naming the entity and its owner", async () => {
    const { server } = started;
    const redisRuns = async () => {
      const res = await request(server)
        .get(`${API}/v1/entities/component/default/redis`)
        .set('authorization', bearer(TOKENS.ingest));
      return res.body.totalRuns as number;
    };
    const before = await redisRuns();
    const foreign = await request(server)
      .post(`${API}/v1/runs`)
      .set('authorization', bearer(TOKENS.chatCi))
      .send(report(`chat-ci-${userRef}-1`, 'component:default/redis'));
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toBe(
      'entityRef: ci-chat may not report for component:default/redis (owned by group:default/team-platform); it reports for entities owned by group:default/team-chat',
    );
    expect(await redisRuns()).toBe(before);
    const own = await request(server)
      .post(`${API}/v1/runs`)
      .set('authorization', bearer(TOKENS.chatCi))
      .send(report(`chat-ci-${userRef}-2`));
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ stored: 1, duplicates: 0 });
  });

  it('lets a token restricted to backup-status.read read, not ingest', async () => {
    const { server } = started;
    const overview = await request(server)
      .get(`${API}/v1/overview`)
      .set('authorization', bearer(TOKENS.readOnly));
    expect(overview.status).toBe(200);
    // the entity is looked up as the plugin: the token cannot reach the catalog
    const details = await request(server)
      .get(`${API}/v1/entities/resource/default/chat-db`)
      .set('authorization', bearer(TOKENS.readOnly));
    expect(details.status).toBe(200);
    expect(details.body.entityRef).toBe('resource:default/chat-db');
    const before = await storedRuns(server);
    const res = await request(server)
      .post(`${API}/v1/runs`)
      .set('authorization', bearer(TOKENS.readOnly))
      .send(report('read-only'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Not allowed: backup-status.ingest');
    expect(await storedRuns(server)).toBe(before);
  });

  it('refuses a token of another plugin, and an unknown token', async () => {
    const { server } = started;
    const before = await storedRuns(server);
    const other = await request(server)
      .post(`${API}/v1/runs`)
      .set('authorization', bearer(TOKENS.deployOnly))
      .send(report('deploy-only'));
    expect(other.status).toBe(403);
    expect(other.body.error.message).toMatch(/restricted to plugin/);
    const unknown = await request(server)
      .post(`${API}/v1/runs`)
      .set('authorization', bearer('not-a-token-0123456789'))
      .send(report('unknown'));
    expect(unknown.status).toBe(401);
    const anonymous = await request(server).get(`${API}/v1/overview`);
    expect(anonymous.status).toBe(401);
    expect(await storedRuns(server)).toBe(before);
  });
});
