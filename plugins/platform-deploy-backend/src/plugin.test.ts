import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { platformDeployPlugin } from './plugin';

/** Captures what the plugin sends through the notifications service. */
const sent: any[] = [];
const notificationsCapture = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({
    send: async (options: any) => {
      sent.push(options);
    },
  }),
});

jest.setTimeout(30_000);

const component = (name: string, system: string, type = 'service') => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: {
      'platform-portal.dev/environments': 'staging,production',
    },
  },
  spec: { type, owner: `${system}-team`, system, lifecycle: 'production' },
});

const entities = [
  component('chat-backend', 'chat'),
  component('chat-web', 'chat', 'website'),
  component('quote-backend', 'quote'),
];
const otherNamespace = {
  ...component('x', 'other'),
  metadata: { ...component('x', 'other').metadata, namespace: 'other' },
};

const service = mockCredentials.service.header();
const user = mockCredentials.user.header();

const event = (overrides: Record<string, unknown> = {}) => ({
  entityRef: 'component:default/chat-backend',
  environment: 'production',
  version: 'main-abc1234',
  status: 'succeeded',
  idempotencyKey: `run-${Math.random()}`,
  ...overrides,
});

async function start(
  options: {
    deny?: boolean;
    config?: Record<string, unknown>;
    features?: any[];
  } = {},
) {
  const { server } = await startTestBackend({
    features: [
      ...(options.features ?? []),
      platformDeployPlugin,
      // runs the catalog sync task once at start-up, despite its initial delay
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      notificationsCapture,
      catalogServiceMock.factory({ entities: [...entities, otherNamespace] }),
      mockServices.rootConfig.factory({
        data: {
          platformDeploy: {
            environments: ['staging', 'production'],
            ...options.config,
          },
        },
      }),
      ...(options.deny
        ? [mockServices.permissions.factory({ result: AuthorizeResult.DENY })]
        : []),
    ],
  });
  return server;
}

async function overviewCount(server: any) {
  const res = await request(server)
    .get('/api/platform-deploy/v1/entities/component/default/chat-backend')
    .set('authorization', user);
  return res.body.totalHistory;
}

describe('platform-deploy backend over HTTP', () => {
  it('limits ingest requests per token and writes an audit line per report', async () => {
    const audited: any[] = [];
    const auditor = mockServices.auditor.mock({
      createEvent: async options => {
        audited.push({ eventId: options.eventId });
        return {
          success: async result => {
            audited.push({ success: result?.meta });
          },
          fail: async result => {
            audited.push({ fail: result.error.message });
          },
        };
      },
    });
    const server = await start({
      config: { ingest: { requestsPerMinute: 2 } },
      features: [auditor.factory],
    });
    const post = (body: object) =>
      request(server)
        .post('/api/platform-deploy/v1/events')
        .set('authorization', service)
        .send(body);
    const first = await post(event({ idempotencyKey: 'limit-test-a' }));
    expect(first.body).toEqual({ stored: 1, duplicates: 0 });
    expect((await post(event({ environment: 'qa' }))).status).toBe(400);
    const limited = await post(event({ idempotencyKey: 'limit-test-b' }));
    expect(limited.status).toBe(429);
    expect(limited.body.error.name).toBe('TooManyRequestsError');
    // the limited request stored nothing
    expect(await overviewCount(server)).toBe(1);

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

  it('retries the catalog sync while the catalog is still empty after start', async () => {
    const getEntities = jest
      .fn()
      .mockResolvedValueOnce({ items: [] }) // still reading its locations
      .mockResolvedValue({ items: entities });
    const { server } = await startTestBackend({
      features: [
        platformDeployPlugin,
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
        notificationsCapture,
        catalogServiceMock.mock({ getEntities }).factory,
        mockServices.rootConfig.factory({
          data: { platformDeploy: { environments: ['staging', 'production'] } },
        }),
      ],
    });
    let total = 0;
    for (let i = 0; i < 30 && total < entities.length; i++) {
      await new Promise(r => setTimeout(r, 500));
      const res = await request(server)
        .get('/api/platform-deploy/v1/overview')
        .set('authorization', user);
      total = res.body.totalItems;
    }
    expect(total).toBe(entities.length);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('keeps stack traces out of error bodies', async () => {
    const server = await start();
    const res = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send(event({ version: 42 }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('version');
    expect(res.body.error.stack).toBeUndefined();
  });

  it('stores an event once per idempotency key and shows it everywhere', async () => {
    const server = await start();
    const body = event({
      idempotencyKey: 'ci-run-42',
      color: 'green',
      actor: 'alice',
    });
    for (let i = 0; i < 2; i++) {
      const res = await request(server)
        .post('/api/platform-deploy/v1/events')
        .set('authorization', service)
        .send(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        i === 0 ? { stored: 1, duplicates: 0 } : { stored: 0, duplicates: 1 },
      );
    }

    const entity = await request(server)
      .get('/api/platform-deploy/v1/entities/component/default/chat-backend')
      .set('authorization', user);
    expect(entity.status).toBe(200);
    expect(entity.body.totalHistory).toBe(1);
    expect(entity.body.states.production).toMatchObject({
      version: 'main-abc1234',
      liveColor: 'green',
      deployedBy: 'alice',
      lastStatus: 'succeeded',
    });

    // chat-web has no deploy yet: it is listed from the catalog sync.
    const overview = await request(server)
      .get('/api/platform-deploy/v1/overview?system=chat&orderBy=name')
      .set('authorization', user);
    expect(overview.status).toBe(200);
    expect(overview.body.environments).toEqual(['staging', 'production']);
    expect(overview.body.totalItems).toBe(2);
    expect(overview.body.items[0].environments.production.version).toBe(
      'main-abc1234',
    );

    const metrics = await request(server)
      .get(
        '/api/platform-deploy/v1/metrics?entityRef=component:default/chat-backend&windowDays=7',
      )
      .set('authorization', user);
    expect(metrics.status).toBe(200);
    expect(metrics.body.successRate.value).toBe(1);
    expect(metrics.body.deploysPerWeek.target).toBe(5);
  });

  it('stores a batch in one go, or nothing when one event is bad', async () => {
    const server = await start();
    const bad = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send({ events: [event(), event({ environment: 'qa' })] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('events[1].environment');
    expect(await overviewCount(server)).toBe(0);

    const good = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send({ events: [event({ environment: 'staging' }), event()] });
    expect(good.body).toEqual({ stored: 2, duplicates: 0 });
  });

  it.each([
    [
      'an unknown entity',
      event({ entityRef: 'component:default/nope' }),
      'entityRef',
    ],
    ['an unknown environment', event({ environment: 'qa' }), 'environment'],
    ['a wrong type', event({ version: 42 }), 'version'],
    ['a bad status', event({ status: 'ok' }), 'status'],
    ['a missing key', event({ idempotencyKey: undefined }), 'idempotencyKey'],
    ['an unknown field', event({ password: 'x' }), 'password'],
    ['a bad timestamp', event({ startedAt: '23/11/2026' }), 'startedAt'],
  ])(
    'rejects %s with 400 naming the field and stores nothing',
    async (_n, body, field) => {
      const server = await start();
      const res = await request(server)
        .post('/api/platform-deploy/v1/events')
        .set('authorization', service)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
      expect(await overviewCount(server)).toBe(0);
    },
  );

  it('rejects malformed JSON and oversized bodies', async () => {
    const server = await start();
    const malformed = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .set('content-type', 'application/json')
      .send('{"entityRef": ');
    expect(malformed.status).toBe(400);
    const huge = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send(event({ actor: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(await overviewCount(server)).toBe(0);
  });

  it('lets only services ingest and only authorized callers read', async () => {
    const server = await start();
    const asUser = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', user)
      .send(event());
    expect(asUser.status).toBe(403);
    const anonymous = await request(server)
      .get('/api/platform-deploy/v1/overview')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    expect(await overviewCount(server)).toBe(0);
  });

  it('answers 403 when the permission policy denies', async () => {
    const server = await start({ deny: true });
    for (const path of [
      '/v1/overview',
      '/v1/metrics',
      '/v1/entities/component/default/chat-backend',
    ]) {
      const res = await request(server)
        .get(`/api/platform-deploy${path}`)
        .set('authorization', user);
      expect(res.status).toBe(403);
    }
    const ingest = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send(event());
    expect(ingest.status).toBe(403);
  });

  it('notifies the owning group once of a failed production deploy', async () => {
    sent.length = 0;
    const server = await start();
    const failed = event({ status: 'failed', idempotencyKey: 'failure-run-1' });
    for (let i = 0; i < 2; i++) {
      await request(server)
        .post('/api/platform-deploy/v1/events')
        .set('authorization', service)
        .send(failed)
        .expect(200);
    }
    await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send(event({ status: 'failed', environment: 'staging' }))
      .expect(200);
    expect(sent).toHaveLength(1);
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: 'group:default/chat-team',
    });
    expect(sent[0].payload.title).toContain(
      'production deploy of main-abc1234 failed',
    );
  });

  it('links a failure notification to the entity in its own namespace', async () => {
    sent.length = 0;
    const server = await start();
    await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send(event({ entityRef: 'component:other/x', status: 'failed' }))
      .expect(200);
    expect(sent).toHaveLength(1);
    expect(sent[0].payload.link).toBe('/catalog/other/component/x/deployments');
  });

  it('validates read queries', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/platform-deploy/v1/overview?limit=100000')
      .set('authorization', user);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('limit');
  });

  it('looks up services unknown to its store in one catalog call per batch, and does not repeat a miss', async () => {
    const getEntitiesByRefs = jest.fn(
      async ({ entityRefs }: { entityRefs: string[] }) => ({
        items: entityRefs.map(ref =>
          entities.find(e => `component:default/${e.metadata.name}` === ref),
        ),
      }),
    );
    const { server } = await startTestBackend({
      features: [
        platformDeployPlugin,
        notificationsCapture,
        catalogServiceMock.mock({
          getEntitiesByRefs,
          getEntities: async () => ({ items: [] }),
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            platformDeploy: {
              environments: ['staging', 'production'],
            },
          },
        }),
      ],
    });

    const batch = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send({
        events: [
          'chat-backend',
          'chat-web',
          'quote-backend',
          'chat-backend',
        ].map((name, i) =>
          event({
            entityRef: `component:default/${name}`,
            idempotencyKey: `batch-run-${i}`,
          }),
        ),
      });
    expect(batch.status).toBe(200);
    expect(batch.body).toEqual({ stored: 4, duplicates: 0 });
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs.mock.calls[0][0].entityRefs).toEqual([
      'component:default/chat-backend',
      'component:default/chat-web',
      'component:default/quote-backend',
    ]);

    for (let i = 0; i < 3; i++) {
      const res = await request(server)
        .post('/api/platform-deploy/v1/events')
        .set('authorization', service)
        .send(event({ entityRef: 'component:default/nope' }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('entityRef');
    }
    // Known services come from the store now; the miss is asked once.
    await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send(event({ idempotencyKey: 'known-service-run' }))
      .expect(200);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
  });
});
