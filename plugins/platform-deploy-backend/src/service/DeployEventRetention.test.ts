import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DeploymentStore } from '../database/DeploymentStore';
import { NewDeploymentEvent } from '../types';
import { DeployEventRetention } from './DeployEventRetention';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY_MS = 24 * 3600 * 1000;

const deployed = (daysAgo: number, version: string): NewDeploymentEvent => ({
  entityRef: 'component:default/chat-backend',
  environment: 'production',
  version,
  status: 'succeeded',
  idempotencyKey: `retention-${version}`,
  source: 'http',
  finishedAt: new Date(NOW.getTime() - daysAgo * DAY_MS),
  receivedAt: new Date(NOW.getTime() - daysAgo * DAY_MS),
});

describe.each(databases.eachSupportedId())('DeployEventRetention on %s', id => {
  async function createStore() {
    const knex = await databases.init(id);
    return DeploymentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
  }

  it('deletes the events past retention and keeps the current state', async () => {
    const store = await createStore();
    // the live version was deployed long ago; two deploys before it
    await store.insertEvents([
      deployed(500, 'main-v1'),
      deployed(400, 'main-v2'),
      deployed(366, 'main-v3'),
      deployed(30, 'main-v4'),
    ]);
    await store.insertEvents([
      { ...deployed(10, 'main-v5'), status: 'failed' },
    ]);
    const retention = new DeployEventRetention({
      store,
      logger: mockServices.logger.mock(),
      days: 365,
      now: () => NOW,
    });
    expect(await retention.run()).toEqual({
      deleted: 3,
      before: new Date(NOW.getTime() - 365 * DAY_MS),
    });
    const history = await store.listHistory({
      entityRef: 'component:default/chat-backend',
      limit: 10,
      offset: 0,
    });
    expect(history.items.map(e => e.version)).toEqual(['main-v5', 'main-v4']);
    const [state] = await store.getStates('component:default/chat-backend');
    expect(state).toMatchObject({
      version: 'main-v4',
      previousVersion: 'main-v3',
      lastStatus: 'failed',
      lastVersion: 'main-v5',
    });
    // nothing left to delete
    expect((await retention.run()).deleted).toBe(0);
  });

  it('deletes in batches until none is left, and stops when aborted', async () => {
    const store = await createStore();
    await store.insertEvents(
      Array.from({ length: 7 }, (_, i) => deployed(400 + i, `main-old${i}`)),
    );
    const before = new Date(NOW.getTime() - 365 * DAY_MS);
    const aborted = new AbortController();
    aborted.abort();
    expect(
      await store.deleteEventsBefore(before, {
        batchSize: 3,
        signal: aborted.signal,
      }),
    ).toBe(0);
    expect(await store.deleteEventsBefore(before, { batchSize: 3 })).toBe(7);
    expect(await store.countEvents()).toBe(0);
  });
});
