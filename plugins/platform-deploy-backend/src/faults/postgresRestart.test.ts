/*
 * Fault: PostgreSQL restarts while CI reports deployments. A bounded loop of
 * reports, each retried with its idempotency key until it is accepted, runs
 * against a backend on the test's own PostgreSQL cluster; midway the cluster
 * stops for a few seconds and starts again. The API must answer 503 (not 500)
 * while the database is down, recover without a restart of the backend, and
 * in the end every reported event is stored exactly once.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { platformDeployPlugin } from '../plugin';
import {
  ThrowawayPostgres,
  throwawayPostgresAvailable,
} from './throwawayPostgres';

jest.setTimeout(180_000);

const REPORTS = 150;
const STOP_AFTER = 40;
const DOWN_MS = 4000;

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'chat-backend',
    annotations: { 'platform-portal.dev/environments': 'staging,production' },
  },
  spec: {
    type: 'service',
    owner: 'chat-team',
    system: 'chat',
    lifecycle: 'production',
  },
};

const describeWithPostgres = throwawayPostgresAvailable()
  ? describe
  : describe.skip;

describeWithPostgres('PostgreSQL restart during ingest', () => {
  let pg: ThrowawayPostgres;
  beforeAll(async () => {
    pg = await ThrowawayPostgres.start();
  });
  afterAll(() => pg?.destroy());

  it('answers 503 while down, recovers by itself, and stores every event exactly once', async () => {
    const { server } = await startTestBackend({
      features: [
        platformDeployPlugin,
        databaseServiceFactory,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: {
                client: 'pg',
                connection: pg.connection,
                // fail fast while the server is down instead of queueing
                knexConfig: { acquireConnectionTimeout: 2000 },
              },
            },
            platformDeploy: {
              environments: ['staging', 'production'],
              healthProbe: { enabled: false },
              ingest: { eventsPerMinute: 100_000 },
            },
            platformPortal: {
              ingest: {
                credentials: [
                  { subject: 'external:test-service', allEntities: true },
                ],
              },
            },
          },
        }),
      ],
    });
    const service = mockCredentials.service.header();

    const cluster = pg;
    const outage = () => {
      cluster.stop();
      return new Promise<void>(resolve =>
        setTimeout(() => {
          cluster.startAgain();
          resolve();
        }, DOWN_MS),
      );
    };
    const statuses = new Map<number, number>();
    let downSince = 0;
    let restarted: Promise<void> | undefined;
    for (let i = 0; i < REPORTS; i++) {
      if (i === STOP_AFTER) {
        downSince = Date.now();
        restarted = outage();
      }
      const body = {
        entityRef: 'component:default/chat-backend',
        environment: i % 2 ? 'production' : 'staging',
        version: `main-${String(i).padStart(7, '0')}`,
        status: 'succeeded',
        idempotencyKey: `fault-test-${i}`,
      };
      // the client's retry loop: same idempotency key until accepted
      for (let attempt = 0; ; attempt++) {
        const res = await request(server)
          .post('/api/platform-deploy/v1/events')
          .set('authorization', service)
          .send(body);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) break;
        expect(res.status).toBe(503);
        expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|5432|stack/);
        if (attempt > 200) throw new Error('the backend never recovered');
        await new Promise(r => setTimeout(r, 250));
      }
    }
    await restarted;
    const recoveredAfterMs = Date.now() - downSince;

    // everything reported is there, once
    const entityRes = await request(server)
      .get(
        '/api/platform-deploy/v1/entities/component/default/chat-backend?limit=1',
      )
      .set('authorization', service);
    expect(entityRes.status).toBe(200);
    expect(entityRes.body.totalHistory).toBe(REPORTS);
    expect(entityRes.body.states.production.version).toBe(
      `main-${String(REPORTS - 1).padStart(7, '0')}`,
    );

    // the outage was seen as 503, and only as 503
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect([...statuses.keys()].sort()).toEqual([200, 503]);
    // printed for the note
    // eslint-disable-next-line no-console
    console.log(
      `restart fault: ${REPORTS} reports, responses ${JSON.stringify(
        Object.fromEntries(statuses),
      )}, loop done ${recoveredAfterMs} ms after the stop (down ${DOWN_MS} ms)`,
    );
  });
});
