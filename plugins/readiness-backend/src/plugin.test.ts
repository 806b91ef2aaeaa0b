/*
 * The readiness plugin over HTTP with every part real: the catalog reading
 * a file location, platform-deploy and backup-status fed through their
 * ingest APIs (as CI and the backup jobs report), the tech-insights backend
 * with the jsonfc checker and the portal's fact retrievers, the checks and
 * levels of the repository's app-config.yaml, Backstage's auth services
 * (static ingest token, guest user tokens) and the permission backend with
 * the portal's policy. Only notifications are recorded instead of sent.
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
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import permissionBackend from '@backstage/plugin-permission-backend';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonfc from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
// the real neighbours the fact retrievers read, not a dependency of the plugin
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import backupStatusBackend from '@platform-portal/backstage-plugin-backup-status-backend';
import platformPolicy from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import platformDeployBackend from '@platform-portal/backstage-plugin-platform-deploy-backend';
import techInsightsPlatform from '@platform-portal/backstage-plugin-tech-insights-backend-module-platform';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { ReadinessStore } from './database/ReadinessStore';
import { readinessPlugin } from './plugin';
import { EVALUATION_TASK_ID } from './service/ReadinessEvaluationTask';

jest.setTimeout(180_000);

const INGEST_TOKEN = 'ci-ingest-0123456789abcdef';
const bearer = (token: string) => `Bearer ${token}`;
const ingest = bearer(INGEST_TOKEN);
const HOUR = 3600_000;

const appConfig = yaml.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../app-config.yaml'), 'utf8'),
);

/**
 * The repository's tech-insights config without the health and quality
 * checks and their retrievers: this backend has no health, code-coverage or
 * image-scans plugin (the health demo data follows the clock), and those
 * checks have their table tests in checks.test.ts.
 */
const LEFT_OUT: Record<string, string> = {
  health: 'platformHealth',
  quality: 'platformQuality',
};
function withoutHealthAndQualityChecks(techInsights: any) {
  const factRetrievers = Object.fromEntries(
    Object.entries(techInsights.factRetrievers).filter(
      ([id]) => !Object.values(LEFT_OUT).includes(id),
    ),
  );
  const checks = Object.fromEntries(
    Object.entries(techInsights.factChecker.checks).filter(
      ([, check]: [string, any]) => !(check.metadata.category in LEFT_OUT),
    ),
  );
  return {
    ...techInsights,
    factRetrievers,
    factChecker: { ...techInsights.factChecker, checks },
  };
}

async function start() {
  const scheduler = mockServices.scheduler();
  const sent: NotificationSendOptions[] = [];
  const { server } = await startTestBackend({
    features: [
      readinessPlugin,
      techInsightsBackend,
      techInsightsJsonfc,
      techInsightsPlatform,
      platformDeployBackend,
      backupStatusBackend,
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
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (n: NotificationSendOptions) => {
            sent.push(n);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token: INGEST_TOKEN, subject: 'ci-ingest' },
                  accessRestrictions: [
                    { plugin: 'platform-deploy' },
                    { plugin: 'backup-status' },
                  ],
                },
              ],
            },
          },
          auth: {
            providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
          },
          permission: { enabled: true },
          platformPolicy: {
            platformTeams: ['group:default/platform-team'],
            readOnlyUsers: ['user:development/guest'],
          },
          catalog: {
            rules: [{ allow: ['Component', 'Resource', 'Group', 'User'] }],
            locations: [
              {
                type: 'file',
                target: path.resolve(__dirname, '__fixtures__/catalog.yaml'),
              },
            ],
          },
          platformDeploy: {
            environments: ['staging', 'production'],
            healthProbe: { enabled: false },
          },
          platformPortal: {
            ingest: {
              credentials: [{ subject: 'ci-ingest', allEntities: true }],
            },
          },
          // the repository's scorecards: checks, levels, retriever cadences
          techInsights: withoutHealthAndQualityChecks(appConfig.techInsights),
          readiness: appConfig.readiness,
        },
      }),
    ],
  });
  return { server, scheduler, sent };
}

type Server = Awaited<ReturnType<typeof start>>['server'];

async function waitForCatalog(server: Server, token: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await request(server)
      .get(
        '/api/catalog/entities/by-query?filter=kind=component&filter=kind=resource&limit=100',
      )
      .set('authorization', token);
    if (res.body.items?.length === 3) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the catalog never processed the fixture');
}

const deployEvent = (i: number, at: number, status = 'succeeded') => ({
  entityRef: 'component:default/chat-backend',
  environment: 'production',
  version: `main-${String(i).padStart(7, '0')}`,
  status,
  idempotencyKey: `readiness-test-${status}-${i}`,
  startedAt: new Date(at - 3 * 60_000).toISOString(),
  finishedAt: new Date(at).toISOString(),
});

describe('readiness backend over HTTP, with tech-insights and the real stores', () => {
  let server: Server;
  let scheduler: ReturnType<typeof mockServices.scheduler>;
  let sent: NotificationSendOptions[];
  let guest: string;

  const get = (p: string, authorization = guest) =>
    request(server)
      .get(`/api/readiness${p}`)
      .set('authorization', authorization);

  /** The retrievers read the stores, then readiness runs the checks. */
  async function evaluate() {
    for (const id of [
      'platformDeploys',
      'platformBackups',
      'platformCatalog',
    ]) {
      await scheduler.triggerTask(id);
    }
    await scheduler.triggerTask(EVALUATION_TASK_ID);
  }

  let overviewQueries: jest.SpyInstance;

  beforeAll(async () => {
    overviewQueries = jest.spyOn(ReadinessStore.prototype, 'listOverview');
    ({ server, scheduler, sent } = await start());
    const res = await request(server)
      .get('/api/auth/guest/refresh')
      .set('x-requested-with', 'XMLHttpRequest');
    guest = bearer(res.body.backstageIdentity.token);
    await waitForCatalog(server, guest);
    await scheduler.triggerTask('platform-deploy-catalog-sync');
  });

  afterAll(() => overviewQueries.mockRestore());

  it('answers 404 before an entity was evaluated, and an empty overview built while starting', async () => {
    // startTestBackend resolves once the startup hooks ran: the warm-up
    // read the overview, so the first request is served from memory
    expect(overviewQueries).toHaveBeenCalledTimes(1);
    const entity = await get('/v1/entities/component/default/chat-backend');
    expect(entity.status).toBe(404);
    expect(entity.body.error.name).toBe('NotFoundError');
    const overview = await get('/v1/overview');
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({ items: [], evaluatedAt: null });
    expect((await get('/v1/summary')).body.total).toBe(0);
    // an empty overview is not kept: each read builds it again (cheap), so
    // another replica's first evaluation shows at once
    expect(overviewQueries).toHaveBeenCalledTimes(3);
  });

  it('evaluates every component from the stores and serves levels, reasons and fixes', async () => {
    const now = Date.now();
    // 32 successful production deploys over the last 28 days: 8 a week
    const events = Array.from({ length: 32 }, (_, i) =>
      deployEvent(i, now - (i * 20 + 1) * HOUR),
    );
    await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', ingest)
      .send({ events })
      .expect(200);
    // chat-db: backed up 2 h ago, restore-tested yesterday in 20 minutes
    const run = (type: string, endHoursAgo: number, minutes: number) => ({
      entityRef: 'resource:default/chat-db',
      type,
      status: 'succeeded',
      startedAt: new Date(
        now - endHoursAgo * HOUR - minutes * 60_000,
      ).toISOString(),
      finishedAt: new Date(now - endHoursAgo * HOUR).toISOString(),
      idempotencyKey: `readiness-test-${type}-${endHoursAgo}`,
      sizeBytes: 2_700_000_000,
    });
    await request(server)
      .post('/api/backup-status/v1/runs')
      .set('authorization', ingest)
      .send({ runs: [run('backup', 2, 10), run('restore-test', 24, 20)] })
      .expect(200);

    await evaluate();

    const backend = await get('/v1/entities/component/default/chat-backend');
    expect(backend.status).toBe(200);
    expect(backend.body.level).toBe('gold');
    const failing = backend.body.checks.filter(
      (c: any) => c.result !== 'pass' && c.result !== 'not-applicable',
    );
    expect(failing).toEqual([]);
    expect(backend.body.checks.map((c: any) => c.id)).toContain(
      'backups-within-rpo',
    );

    const web = await get('/v1/entities/component/default/chat-web');
    expect(web.body.level).toBeNull();
    const byId = new Map<string, any>(
      web.body.checks.map((c: any) => [c.id, c]),
    );
    expect(byId.get('catalog-owner-group')).toMatchObject({
      result: 'fail',
      why: 'owned by user:default/jane, not a team',
      fix: {
        url: '/docs/default/system/platform-portal/runbooks/production-readiness/#owned-by-a-team',
      },
    });
    expect(byId.get('backups-within-rpo')).toMatchObject({
      result: 'not-applicable',
    });
    // no deploys at all: the success rate has no data, the frequency fails
    expect(byId.get('deploy-success-rate').result).toBe('no-data');
    expect(byId.get('deploy-frequency').result).toBe('fail');

    const overview = await get('/v1/overview');
    expect(overview.body.levels.map((l: any) => l.id)).toEqual([
      'bronze',
      'silver',
      'gold',
    ]);
    expect(overview.body.distribution).toEqual({
      none: 1,
      bronze: 0,
      silver: 0,
      gold: 1,
    });
    expect(overview.body.items).toEqual([
      {
        entityRef: 'component:default/chat-backend',
        title: 'Chat backend',
        system: 'chat',
        owner: 'group:default/chat-team',
        level: 'gold',
        failing: [],
      },
      expect.objectContaining({
        entityRef: 'component:default/chat-web',
        owner: 'user:default/jane',
        level: null,
        failing: expect.arrayContaining([
          'catalog-owner-group',
          'deploy-frequency',
        ]),
      }),
    ]);
    expect(overview.body.topFailing).toContainEqual({
      checkId: 'catalog-owner-group',
      name: 'Owned by a team',
      count: 1,
    });
    expect(Date.parse(overview.body.evaluatedAt)).toBeGreaterThan(now - 60_000);

    // served from memory: gzipped when asked, 304 for the same ETag
    const queriesSoFar = overviewQueries.mock.calls.length;
    const gz = await get('/v1/overview').set('accept-encoding', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.items).toHaveLength(2);
    const again = await get('/v1/overview').set(
      'if-none-match',
      gz.headers.etag,
    );
    expect(again.status).toBe(304);

    const csv = await get('/v1/overview.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('entityRef,title,system,owner,level,failing');
    expect(lines[1]).toBe(
      'component:default/chat-backend,Chat backend,chat,group:default/chat-team,gold,',
    );
    expect(lines[2]).toMatch(
      /^component:default\/chat-web,,chat,user:default\/jane,,.*catalog-owner-group/,
    );

    const trend = await get('/v1/trend?days=7');
    expect(trend.body.days).toHaveLength(7);
    expect(trend.body.days[6]).toEqual({
      date: new Date().toISOString().slice(0, 10),
      counts: { none: 1, bronze: 0, silver: 0, gold: 1 },
    });
    expect(trend.body.days[0].counts).toEqual({
      none: 0,
      bronze: 0,
      silver: 0,
      gold: 0,
    });
    expect(sent).toEqual([]); // a first evaluation is no drop

    // what the page reads: the summary with the heatmaps, and pages of entities
    const summary = await get('/v1/summary');
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      levels: overview.body.levels,
      distribution: overview.body.distribution,
      topFailing: overview.body.topFailing,
      evaluatedAt: overview.body.evaluatedAt,
      total: 2,
      bySystem: [{ key: 'chat', counts: { none: 1, gold: 1 }, total: 2 }],
      byOwner: [
        { key: 'group:default/chat-team', counts: { gold: 1 }, total: 1 },
        { key: 'user:default/jane', counts: { none: 1 }, total: 1 },
      ],
    });
    const second = await get('/v1/entities?limit=1&offset=1');
    expect(second.body).toEqual({
      items: [overview.body.items[1]],
      totalItems: 2,
    });
    const noLevel = await get('/v1/entities?level=none&system=chat');
    expect(noLevel.body.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/chat-web',
    ]);
    const searched = await get('/v1/entities?q=CHAT-TEAM');
    expect(searched.body).toEqual({
      items: [overview.body.items[0]],
      totalItems: 1,
    });
    // none of these reads queried the store again
    expect(overviewQueries).toHaveBeenCalledTimes(queriesSoFar);
  });

  it('notifies the owning team once when a service drops a level', async () => {
    // three failed production deploys just now: success rate 32/35 < 95 %
    // (silver) and not restored yet (gold)
    const now = Date.now();
    await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', ingest)
      .send({
        events: [1, 2, 3].map(i =>
          deployEvent(100 + i, now - i * 60_000, 'failed'),
        ),
      })
      .expect(200);
    const before = await get('/v1/overview');
    await evaluate();
    const backend = await get('/v1/entities/component/default/chat-backend');
    expect(backend.body.level).toBe('bronze');
    // the overview of this replica shows the new evaluation at once
    const after = await get('/v1/overview');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.distribution).toMatchObject({ bronze: 1, gold: 0 });
    const rate = backend.body.checks.find(
      (c: any) => c.id === 'deploy-success-rate',
    );
    expect(rate).toMatchObject({
      result: 'fail',
      why: 'success rate is 0.91, target > 0.95',
    });
    // (platform-deploy told the team of each failed deploy, on its own)
    const readiness = () => sent.filter(n => n.payload.topic === 'readiness');
    expect(readiness()).toHaveLength(1);
    expect(readiness()[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: 'group:default/chat-team' },
      payload: {
        title: 'Chat backend dropped from Gold to Bronze production readiness',
        link: '/catalog/default/component/chat-backend',
        topic: 'readiness',
      },
    });
    // the next run sees it at bronze already: no second notification
    await evaluate();
    expect(readiness()).toHaveLength(1);
  });

  it('validates the trend window and the entities page, and refuses callers without a token', async () => {
    for (const [url, message] of [
      [
        '/v1/trend?days=0',
        'query.days: Number must be greater than or equal to 1',
      ],
      [
        '/v1/trend?days=366',
        'query.days: Number must be less than or equal to 365',
      ],
      ['/v1/trend?days=week', 'query.days: Expected number, received nan'],
      [
        '/v1/trend?weeks=2',
        "query: Unrecognized key(s) in object: 'weeks' (weeks)",
      ],
      [
        '/v1/entities?limit=0',
        'query.limit: Number must be greater than or equal to 1',
      ],
      [
        '/v1/entities?limit=501',
        'query.limit: Number must be less than or equal to 500',
      ],
      [
        '/v1/entities?offset=-1',
        'query.offset: Number must be greater than or equal to 0',
      ],
      [
        '/v1/entities?level=',
        'query.level: String must contain at least 1 character(s)',
      ],
      [
        '/v1/entities?sort=level',
        "query: Unrecognized key(s) in object: 'sort' (sort)",
      ],
    ]) {
      const res = await get(url);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ name: 'InputError', message });
    }
    for (const endpoint of ['/v1/summary', '/v1/entities']) {
      const res = await request(server).get(`/api/readiness${endpoint}`);
      expect(res.status).toBe(401);
    }
    const anonymous = await request(server).get('/api/readiness/v1/overview');
    expect(anonymous.status).toBe(401);
    const missing = await get('/v1/entities/component/default/nope');
    expect(missing.status).toBe(404);
  });
});
