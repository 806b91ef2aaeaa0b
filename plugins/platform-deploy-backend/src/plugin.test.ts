import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import catalogBackend from '@backstage/plugin-catalog-backend';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import path from 'node:path';
import request from 'supertest';
import { platformDeployPlugin } from './plugin';
import { CATALOG_SYNC_TASK_ID } from './service/CatalogEntitySync';
import { RETENTION_TASK_ID } from './service/DeployEventRetention';

jest.setTimeout(60_000);

/** Components in the fixture (the real catalog reads it as a file location). */
const FIXTURE_COMPONENTS = 12;

/** The test's CI: reports for every entity (`platformPortal.ingest.credentials`). */
const service = mockCredentials.service.header();
/** chat-team's CI: reports for the entities chat-team owns. */
const chatCi = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('ci-chat'),
  targetPluginId: 'platform-deploy',
});
const user = mockCredentials.user.header();

const event = (overrides: Record<string, unknown> = {}) => ({
  entityRef: 'component:default/chat-backend',
  environment: 'production',
  version: 'main-abc1234',
  status: 'succeeded',
  idempotencyKey: `run-${Math.random()}`,
  ...overrides,
});

/** A notifications service that records what the plugin sends, per backend. */
function recordingNotifications(options: { fail?: boolean } = {}) {
  const sent: NotificationSendOptions[] = [];
  const factory = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      send: async (notification: NotificationSendOptions) => {
        if (options.fail) throw new Error('notifications are down');
        sent.push(notification);
      },
    }),
  });
  return { sent, factory };
}

/**
 * The plugin with the real catalog backend (SQLite in memory, the fixture as
 * its location). The scheduler runs nothing by itself: once the catalog has
 * read the fixture, the test triggers the catalog sync (unless `sync: false`).
 */
async function start(
  options: {
    config?: Record<string, unknown>;
    features?: any[];
    /** Wait for the catalog and trigger the sync; default true. */
    sync?: boolean;
    /** Start without waiting for the catalog (it may never be readable). */
    catalogReady?: boolean;
    failingNotifications?: boolean;
  } = {},
) {
  // One scheduler for every plugin of the backend, which runs a task only
  // when the test triggers it.
  const scheduler = mockServices.scheduler();
  const schedulerFactory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () => scheduler,
  });
  const notifications = recordingNotifications({
    fail: options.failingNotifications,
  });
  const { server } = await startTestBackend({
    features: [
      ...(options.features ?? []),
      platformDeployPlugin,
      catalogBackend,
      schedulerFactory,
      notifications.factory,
      mockServices.rootConfig.factory({
        data: {
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
            ...options.config,
          },
          platformPortal: {
            ingest: {
              credentials: [
                { subject: 'external:test-service', allEntities: true },
                { subject: 'ci-chat', owners: ['group:default/chat-team'] },
              ],
            },
          },
        },
      }),
    ],
  });
  if (options.catalogReady !== false) {
    await waitForCatalog(server);
  }
  if (options.sync !== false && options.catalogReady !== false) {
    await scheduler.triggerTask(CATALOG_SYNC_TASK_ID);
  }
  return { server, sent: notifications.sent, scheduler };
}

type Server = Awaited<ReturnType<typeof start>>['server'];

/** The catalog processes its location in the background: wait for all of it. */
async function waitForCatalog(server: Server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=component&limit=100')
      .set('authorization', service);
    if (res.body.items?.length === FIXTURE_COMPONENTS) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('the catalog never processed the fixture');
}

const post = (server: Server, body: unknown, authorization = service) =>
  request(server)
    .post('/api/platform-deploy/v1/events')
    .set('authorization', authorization)
    .send(body as object);

const get = (server: Server, pathAndQuery: string) =>
  request(server)
    .get(`/api/platform-deploy${pathAndQuery}`)
    .set('authorization', user);

/** How many events an entity's history holds. */
async function historyCount(server: Server, name: string) {
  const res = await get(server, `/v1/entities/component/default/${name}`);
  expect(res.status).toBe(200);
  return res.body.totalHistory as number;
}

describe('platform-deploy backend over HTTP, with the real catalog', () => {
  let server: Server;
  let sent: NotificationSendOptions[];

  beforeAll(async () => {
    ({ server, sent } = await start());
  });

  /** What the plugin sent about one entity. */
  const sentAbout = (entityRef: string) =>
    sent.filter(n =>
      n.payload.scope?.startsWith(`platform-deploy:${entityRef}:`),
    );

  it('keeps stack traces out of error bodies', async () => {
    const res = await post(
      server,
      event({ entityRef: 'component:default/reject-backend', version: 42 }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('version');
    expect(res.body.error.stack).toBeUndefined();
  });

  it('stores an event once per idempotency key and shows it everywhere', async () => {
    const body = event({
      idempotencyKey: 'ci-run-42',
      color: 'green',
      actor: 'alice',
    });
    for (let i = 0; i < 2; i++) {
      const res = await post(server, body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        i === 0 ? { stored: 1, duplicates: 0 } : { stored: 0, duplicates: 1 },
      );
    }

    const entity = await get(
      server,
      '/v1/entities/component/default/chat-backend',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.totalHistory).toBe(1);
    expect(entity.body.states.production).toMatchObject({
      version: 'main-abc1234',
      liveColor: 'green',
      deployedBy: 'alice',
      lastStatus: 'succeeded',
    });

    // chat-web has no deploy yet: it is listed from the catalog sync.
    const overview = await get(server, '/v1/overview?system=chat&orderBy=name');
    expect(overview.status).toBe(200);
    expect(overview.body.environments).toEqual(['staging', 'production']);
    expect(overview.body.totalItems).toBe(2);
    expect(overview.body.items[0].environments.production.version).toBe(
      'main-abc1234',
    );

    const metrics = await get(
      server,
      '/v1/metrics?entityRef=component:default/chat-backend&windowDays=7',
    );
    expect(metrics.status).toBe(200);
    expect(metrics.body.successRate.value).toBe(1);
    expect(metrics.body.deploysPerWeek.target).toBe(5);
  });

  it('stores a batch in one go, or nothing when one event is bad', async () => {
    const entityRef = 'component:default/batch-backend';
    const bad = await post(server, {
      events: [event({ entityRef }), event({ entityRef, environment: 'qa' })],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      "events[1].environment: unknown environment 'qa', expected one of staging, production",
    );
    expect(await historyCount(server, 'batch-backend')).toBe(0);

    const good = await post(server, {
      events: [
        event({ entityRef, environment: 'staging' }),
        event({ entityRef }),
      ],
    });
    expect(good.body).toEqual({ stored: 2, duplicates: 0 });
  });

  it('names the field of a bad event of a batch by its path', async () => {
    const res = await post(server, {
      events: [
        event({ entityRef: 'component:default/reject-backend' }),
        event({
          entityRef: 'component:default/reject-backend',
          version: 'a b',
        }),
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: 'events[1].version: must be an image tag such as main-abc1234',
    });
    expect(await historyCount(server, 'reject-backend')).toBe(0);
  });

  const reject = (overrides: Record<string, unknown>) =>
    event({ entityRef: 'component:default/reject-backend', ...overrides });

  it.each([
    [
      'an unknown entity',
      event({ entityRef: 'component:default/nope' }),
      'entityRef',
    ],
    ['an unknown environment', reject({ environment: 'qa' }), 'environment'],
    ['a wrong type', reject({ version: 42 }), 'version'],
    ['a bad status', reject({ status: 'ok' }), 'status'],
    ['a missing key', reject({ idempotencyKey: undefined }), 'idempotencyKey'],
    ['an unknown field', reject({ password: 'x' }), 'password'],
    ['a bad timestamp', reject({ startedAt: '23/11/2026' }), 'startedAt'],
  ])(
    'rejects %s with 400 naming the field and stores nothing',
    async (_n, body, field) => {
      const res = await post(server, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
      expect(await historyCount(server, 'reject-backend')).toBe(0);
    },
  );

  it('rejects malformed JSON and oversized bodies', async () => {
    const malformed = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .set('content-type', 'application/json')
      .send('{"entityRef": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toBe('body: not valid JSON');
    const huge = await post(
      server,
      reject({ actor: 'x'.repeat(2 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toBe(
      'Request body is larger than 1mb; send at most 1000 events per request',
    );
    expect(await historyCount(server, 'reject-backend')).toBe(0);
  });

  it('lets only services ingest and only authorized callers read', async () => {
    const asUser = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', user)
      .send(reject({}));
    expect(asUser.status).toBe(403);
    const anonymous = await request(server)
      .get('/api/platform-deploy/v1/overview')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    expect(await historyCount(server, 'reject-backend')).toBe(0);
  });

  it('notifies the owning group once of a failed production deploy', async () => {
    const entityRef = 'component:default/notify-backend';
    const failed = event({
      entityRef,
      status: 'failed',
      idempotencyKey: 'failure-run-1',
    });
    for (let i = 0; i < 2; i++) {
      await post(server, failed).expect(200);
    }
    await post(
      server,
      event({ entityRef, status: 'failed', environment: 'staging' }),
    ).expect(200);
    const about = sentAbout(entityRef);
    expect(about).toHaveLength(1);
    expect(about[0].recipients).toEqual({
      type: 'entity',
      entityRef: 'group:default/notify-team',
    });
    expect(about[0].payload.title).toContain(
      'production deploy of main-abc1234 failed',
    );
  });

  it('notifies the owning group of a rolled-back production deploy', async () => {
    const entityRef = 'component:default/rollback-backend';
    await post(
      server,
      event({ entityRef, status: 'rolled_back', version: 'main-def5678' }),
    ).expect(200);
    expect(sentAbout(entityRef).map(n => n.payload.title)).toEqual([
      'rollback-backend: production deploy of main-def5678 was rolled back',
    ]);
  });

  it('notifies the owners of an entity in another namespace, and links to it there', async () => {
    await post(
      server,
      event({ entityRef: 'component:other/x', status: 'failed' }),
    ).expect(200);
    const [notification] = sentAbout('component:other/x');
    expect(notification.payload.link).toBe(
      '/catalog/other/component/x/deployments',
    );
    // `owner: other-team` in namespace `other` is group:other/other-team
    expect(notification.recipients).toEqual({
      type: 'entity',
      entityRef: 'group:other/other-team',
    });
  });

  it('reads refs in any case', async () => {
    for (const ref of [
      'component:default/Mixed-Case',
      'Component:Default/mixed-case',
    ]) {
      const res = await post(server, event({ entityRef: ref }));
      expect([ref, res.status, res.body]).toEqual([
        ref,
        200,
        { stored: 1, duplicates: 0 },
      ]);
    }
    for (const p of [
      'component/default/Mixed-Case',
      'Component/DEFAULT/mixed-case',
    ]) {
      const res = await get(server, `/v1/entities/${p}`);
      expect([p, res.status, res.body.totalHistory]).toEqual([p, 200, 2]);
    }
    const metrics = await get(
      server,
      '/v1/metrics?entityRef=component:default/mixed-case',
    );
    expect(metrics.body.successRate.value).toBe(1);
  });

  it('answers 404 for an entity that is not deployable', async () => {
    const res = await get(server, '/v1/entities/component/default/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({
      name: 'NotFoundError',
      message: "No deployable entity 'component:default/nope'",
    });
  });

  it('filters the history by environment', async () => {
    const entityRef = 'component:default/history-backend';
    await post(server, {
      events: [
        event({ entityRef, environment: 'staging', version: 'main-0000001' }),
        event({ entityRef, environment: 'staging', version: 'main-0000002' }),
        event({
          entityRef,
          environment: 'production',
          version: 'main-0000001',
        }),
      ],
    }).expect(200);
    const page = (query: string) =>
      get(server, `/v1/entities/component/default/history-backend${query}`);

    const staging = await page('?environment=staging');
    expect(staging.body.totalHistory).toBe(2);
    expect(staging.body.history.map((e: any) => e.environment)).toEqual([
      'staging',
      'staging',
    ]);
    const production = await page('?environment=production');
    expect(production.body.history.map((e: any) => e.version)).toEqual([
      'main-0000001',
    ]);
    expect((await page('')).body.totalHistory).toBe(3);
    expect((await page('?environment=qa')).body.totalHistory).toBe(0);
  });

  it('scopes the metrics to one system', async () => {
    await post(server, {
      events: [
        event({ entityRef: 'component:default/metrics-a' }),
        event({ entityRef: 'component:default/metrics-a' }),
        event({ entityRef: 'component:default/metrics-b', status: 'failed' }),
      ],
    }).expect(200);
    const metrics = await get(server, '/v1/metrics?system=metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body.scope).toEqual({ system: 'metrics' });
    expect(metrics.body.successRate.value).toBe(1);
    expect(metrics.body.changeFailureRate.value).toBe(0);
    const other = await get(server, '/v1/metrics?system=metrics-other');
    expect(other.body.successRate.value).toBe(0);
    expect(other.body.changeFailureRate.value).toBe(1);
  });

  it.each([
    [
      'windowDays=0',
      'query.windowDays: Number must be greater than or equal to 1',
    ],
    ['windowDays=week', 'query.windowDays: Expected number, received nan'],
    ['team=chat', "query: Unrecognized key(s) in object: 'team' (team)"],
  ])(
    'answers a bad metrics query (%s) with 400 naming the parameter',
    async (query, message) => {
      const res = await get(server, `/v1/metrics?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ name: 'InputError', message });
    },
  );

  it("serves every deployable entity's production facts to services in one response", async () => {
    await post(server, {
      events: [
        event({ entityRef: 'component:default/metrics-a', version: 'facts-1' }),
        event({
          entityRef: 'component:default/metrics-b',
          version: 'facts-2',
          status: 'failed',
        }),
      ],
    }).expect(200);
    const res = await request(server)
      .get('/api/platform-deploy/v1/entity-facts?windowDays=7')
      .set('authorization', service);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      environment: 'production',
      windowDays: 7,
    });
    expect(res.body.items).toHaveLength(FIXTURE_COMPONENTS);
    const byRef = new Map<string, any>(
      res.body.items.map((i: any) => [i.entityRef, i]),
    );
    expect(byRef.get('component:default/metrics-a')).toMatchObject({
      successRate: 1,
      changeFailureRate: 0,
      health: 'unknown',
    });
    expect(
      byRef.get('component:default/metrics-a').productionDeploysPerWeek,
    ).toBeGreaterThan(0);
    expect(byRef.get('component:default/metrics-b').successRate).toBe(0);

    // a machine endpoint: users are refused, bad windows named
    const asUser = await request(server)
      .get('/api/platform-deploy/v1/entity-facts')
      .set('authorization', user);
    expect(asUser.status).toBe(403);
    const bad = await request(server)
      .get('/api/platform-deploy/v1/entity-facts?windowDays=0')
      .set('authorization', service);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'query.windowDays: Number must be greater than or equal to 1',
    );
  });

  it('validates read queries', async () => {
    const res = await get(server, '/v1/overview?limit=100000');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('limit');
  });
});

describe('platform-deploy ingest scopes and idempotency, over HTTP', () => {
  let server: Server;

  beforeAll(async () => {
    ({ server } = await start());
  });

  const history = async (name: string) =>
    (await get(server, `/v1/entities/component/default/${name}`)).body as {
      totalHistory: number;
      history: Array<{ idempotencyKey: string; source: string }>;
    };

  it("refuses an event for an entity outside the credential's scope, and the whole batch with it", async () => {
    const before = (await history('quote-backend')).totalHistory;
    const single = await post(
      server,
      event({ entityRef: 'component:default/quote-backend' }),
      chatCi,
    );
    expect(single.status).toBe(403);
    expect(single.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'entityRef: ci-chat may not report for component:default/quote-backend (owned by group:default/quote-team); it reports for entities owned by group:default/chat-team',
    });

    const batch = await post(
      server,
      {
        events: [
          event({ entityRef: 'component:default/chat-web' }),
          event({ entityRef: 'component:default/quote-backend' }),
        ],
      },
      chatCi,
    );
    expect(batch.status).toBe(403);
    expect(batch.body.error.message).toMatch(
      /^events\[1\]\.entityRef: ci-chat may not report for component:default\/quote-backend/,
    );
    expect((await history('quote-backend')).totalHistory).toBe(before);
    expect((await history('chat-web')).totalHistory).toBe(0);

    // its own entity: stored, with the credential as its source
    const own = await post(
      server,
      event({ entityRef: 'component:default/chat-web' }),
      chatCi,
    );
    expect(own.body).toEqual({ stored: 1, duplicates: 0 });
    expect((await history('chat-web')).history[0].source).toBe('http:ci-chat');
  });

  it('answers 409 naming the key when it comes back with other content, and stores nothing', async () => {
    const body = event({
      entityRef: 'component:default/history-backend',
      idempotencyKey: 'conflict-run-1',
      finishedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect((await post(server, body)).body).toEqual({
      stored: 1,
      duplicates: 0,
    });
    // a retry that read its clock again is the same event
    const retry = await post(server, {
      ...body,
      finishedAt: new Date().toISOString(),
    });
    expect(retry.body).toEqual({ stored: 0, duplicates: 1 });

    const other = await post(server, {
      events: [
        event({ entityRef: 'component:default/history-backend' }),
        { ...body, status: 'failed', version: 'main-def5678' },
      ],
    });
    expect(other.status).toBe(409);
    expect(other.body.error).toEqual({
      name: 'ConflictError',
      message:
        "events[1].idempotencyKey: 'conflict-run-1' was reported before with other content (version, status differ); a retry must repeat the event as it was, a new event needs a new key",
    });
    expect((await history('history-backend')).totalHistory).toBe(1);
  });

  it("scopes keys per source: one credential's key does not block another's event", async () => {
    const key = 'shared-key-0000001';
    const entityRef = 'component:default/rollback-backend';
    expect(
      (await post(server, event({ entityRef, idempotencyKey: key }))).body,
    ).toEqual({ stored: 1, duplicates: 0 });
    const chat = await post(
      server,
      event({
        entityRef: 'component:default/chat-web',
        idempotencyKey: key,
        status: 'failed',
      }),
      chatCi,
    );
    expect(chat.body).toEqual({ stored: 1, duplicates: 0 });
  });
});

describe('platform-deploy backend over HTTP, on its own', () => {
  it('limits ingest events per credential and writes an audit line per report', async () => {
    const audited: any[] = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async options => {
        // the catalog's own audit events are left out
        const ours = options.eventId === 'deployment-events-report';
        if (ours) audited.push({ eventId: options.eventId });
        return {
          success: async result => {
            if (ours) audited.push({ success: result?.meta });
          },
          fail: async result => {
            if (ours) audited.push({ fail: result.error.message });
          },
        };
      },
    });
    const { server } = await start({
      config: { ingest: { eventsPerMinute: 2 } },
      features: [auditor.factory],
    });
    const first = await post(server, event({ idempotencyKey: 'limit-test-a' }));
    expect(first.body).toEqual({ stored: 1, duplicates: 0 });
    expect((await post(server, event({ environment: 'qa' }))).status).toBe(400);
    const limited = await post(
      server,
      event({ idempotencyKey: 'limit-test-b' }),
    );
    expect(limited.status).toBe(429);
    expect(limited.body.error.name).toBe('TooManyRequestsError');
    // the limited request stored nothing
    expect(await historyCount(server, 'chat-backend')).toBe(1);

    expect(audited).toEqual([
      { eventId: 'deployment-events-report' },
      {
        success: {
          entityRefs: ['component:default/chat-backend'],
          environments: ['production'],
          stored: 1,
          duplicates: 0,
        },
      },
      { eventId: 'deployment-events-report' },
      { fail: expect.stringContaining('environment') },
    ]);
  });

  it('counts the events of a batch against the limit, not the request', async () => {
    const { server } = await start({
      config: { ingest: { eventsPerMinute: 3 } },
    });
    const entityRef = 'component:default/batch-backend';
    const batch = (n: number) => ({
      events: Array.from({ length: n }, () => event({ entityRef })),
    });
    expect((await post(server, batch(2))).body).toEqual({
      stored: 2,
      duplicates: 0,
    });
    const limited = await post(server, batch(2));
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toBe(
      'Too many reports for this credential: at most 3 reports per 60 s; retry after the Retry-After header',
    );
    const tooBig = await post(server, batch(4));
    expect(tooBig.status).toBe(429);
    expect(tooBig.body.error.message).toMatch(
      /^A request of 4 reports is over this credential's limit/,
    );
    expect(await historyCount(server, 'batch-backend')).toBe(2);
  });

  it('deletes events past platformDeploy.retention.days on its schedule, keeping the state', async () => {
    const { server, scheduler } = await start({
      config: { retention: { days: 1 } },
    });
    const at = (daysAgo: number) =>
      new Date(Date.now() - daysAgo * 24 * 3600 * 1000).toISOString();
    await post(server, {
      events: [
        event({ version: 'main-old0001', finishedAt: at(3) }),
        event({ version: 'main-new0001', finishedAt: at(0) }),
      ],
    }).expect(200);
    expect(await historyCount(server, 'chat-backend')).toBe(2);
    await scheduler.triggerTask(RETENTION_TASK_ID);
    const entity = await get(
      server,
      '/v1/entities/component/default/chat-backend',
    );
    expect(entity.body.totalHistory).toBe(1);
    expect(entity.body.history[0].version).toBe('main-new0001');
    expect(entity.body.states.production).toMatchObject({
      version: 'main-new0001',
      previousVersion: 'main-old0001',
    });
  });

  it('answers 403 when the permission policy denies', async () => {
    // the catalog is denied as well: it never serves its entities
    const { server } = await start({
      catalogReady: false,
      features: [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    for (const p of [
      '/v1/overview',
      '/v1/metrics',
      '/v1/entities/component/default/chat-backend',
    ]) {
      const res = await get(server, p);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('Not allowed: platform-deploy.read');
    }
    const ingest = await post(server, event());
    expect(ingest.status).toBe(403);
    expect(ingest.body.error.message).toBe(
      'Not allowed: platform-deploy.ingest',
    );
  });

  it('stores a failed deploy when its notification cannot be sent', async () => {
    const { server } = await start({ failingNotifications: true });
    const res = await post(server, event({ status: 'failed' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 1, duplicates: 0 });
    expect(await historyCount(server, 'chat-backend')).toBe(1);
  });

  it('reads a Component the store does not know yet from the catalog', async () => {
    // no catalog sync has run: the store knows no entity
    const { server } = await start({ sync: false });
    expect((await get(server, '/v1/overview')).body.totalItems).toBe(0);
    await post(
      server,
      event({ entityRef: 'component:default/quote-backend' }),
    ).expect(200);
    const entity = await get(
      server,
      '/v1/entities/component/default/quote-backend',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.environments).toEqual(['staging', 'production']);
    // looked up, and kept: the overview lists it before any sync
    const overview = await get(server, '/v1/overview');
    expect(overview.body.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/quote-backend',
    ]);
  });
});
