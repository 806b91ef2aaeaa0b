import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { nextHealth } from '../domain/health';
import { NewDeploymentEvent } from '../types';
import { DeploymentStore } from './DeploymentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

// Statements for two single-event reports: PostgreSQL inserts and folds in
// one autocommit statement (foldStatement.ts); SQLite, one writer at a time,
// runs begin, insert, state read, state upsert, commit
const ROUND_TRIPS_FOR_TWO_REPORTS: Record<string, number> = {
  SQLITE_3: 10,
  POSTGRES_15: 2,
};

function event(overrides: Partial<NewDeploymentEvent>): NewDeploymentEvent {
  return {
    entityRef: 'component:default/chat-backend',
    environment: 'production',
    version: 'main-aaa1111',
    status: 'succeeded',
    idempotencyKey: `key-${Math.random()}`,
    source: 'http',
    receivedAt: new Date('2026-11-20T10:00:00Z'),
    ...overrides,
  };
}

const entities = ['chat-backend', 'chat-web', 'quote-backend'].map(name => ({
  entityRef: `component:default/${name}`,
  name,
  title: name.replace('-', ' '),
  system: name.split('-')[0],
  owner: `group:default/${name.split('-')[0]}-team`,
  type: name.endsWith('web') ? 'website' : 'service',
  environments: ['staging', 'production'],
  healthUrls: { production: `http://127.0.0.1/${name}` },
  trusted: name !== 'chat-web',
}));

describe.each(databases.eachSupportedId())('DeploymentStore on %s', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const store = await DeploymentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await store.syncEntities(entities, new Date('2026-11-20T00:00:00Z'));
    return { store, knex };
  }

  it('stores an idempotency key once per source and keeps the state', async () => {
    const { store, knex } = await createStore();
    const e = event({ idempotencyKey: 'same-key-1' });
    const first = await store.insertEvents([e]);
    expect('stored' in first && first.stored).toHaveLength(1);
    // the same event again (a retry that arrives later and read its clock
    // again for finishedAt): a duplicate
    const again = await store.insertEvents([
      {
        ...e,
        finishedAt: new Date('2026-11-20T10:04:00Z'),
        receivedAt: new Date('2026-11-20T10:05:00Z'),
      },
    ]);
    expect(again).toEqual({ stored: [], duplicates: 1 });
    expect(await store.countEvents()).toBe(1);
    const [state] = await store.getStates(e.entityRef);
    expect(state.version).toBe('main-aaa1111');
    const [{ count }] = await knex('deploy_state').count({ count: '*' });
    expect(Number(count)).toBe(1);
    // the same key from another source is another event
    const other = await store.insertEvents([{ ...e, source: 'github' }]);
    expect('stored' in other && other.stored).toHaveLength(1);
    expect(await store.countEvents()).toBe(2);
  });

  it('answers a key that comes back with other content with the conflict, storing nothing of the batch', async () => {
    const { store } = await createStore();
    const e = event({
      idempotencyKey: 'same-key-2',
      startedAt: new Date('2026-11-20T09:55:00Z'),
      finishedAt: new Date('2026-11-20T10:00:00Z'),
    });
    await store.insertEvents([e]);
    const result = await store.insertEvents([
      event({ idempotencyKey: 'new-key-1', version: 'main-new0001' }),
      { ...e, status: 'failed', actor: 'mallory' },
    ]);
    expect(result).toEqual({
      conflict: {
        index: 1,
        idempotencyKey: 'same-key-2',
        fields: ['status', 'actor'],
      },
    });
    // the batch's new event was rolled back with it
    expect(await store.countEvents()).toBe(1);
    const [state] = await store.getStates(e.entityRef);
    expect(state).toMatchObject({
      version: 'main-aaa1111',
      lastStatus: 'succeeded',
    });
  });

  it('answers a single report of a known key with other content with the conflict, changing nothing', async () => {
    const { store } = await createStore();
    const e = event({ idempotencyKey: 'same-key-3', version: 'main-1' });
    await store.insertEvents([e]);
    expect(
      await store.insertEvents([
        {
          ...e,
          version: 'main-2',
          receivedAt: new Date('2026-11-20T11:00:00Z'),
        },
      ]),
    ).toEqual({
      conflict: { index: 0, idempotencyKey: 'same-key-3', fields: ['version'] },
    });
    expect(await store.countEvents()).toBe(1);
    const [state] = await store.getStates(e.entityRef);
    expect(state).toMatchObject({ version: 'main-1', lastVersion: 'main-1' });
  });

  it('stores a single event and folds it in one round trip on PostgreSQL, five on SQLite', async () => {
    const { store, knex } = await createStore();
    const statements: string[] = [];
    const onQuery = (q: { sql: string }) => statements.push(q.sql);
    knex.on('query', onQuery);
    const first = await store.insertEvents([event({ version: 'main-1' })]);
    const second = await store.insertEvents([
      event({
        version: 'main-2',
        receivedAt: new Date('2026-11-20T11:00:00Z'),
      }),
    ]);
    knex.off('query', onQuery);
    expect('stored' in first && first.stored).toHaveLength(1);
    expect('stored' in second && second.stored).toHaveLength(1);
    const [state] = await store.getStates('component:default/chat-backend');
    expect(state).toMatchObject({
      version: 'main-2',
      previousVersion: 'main-1',
    });
    expect(statements).toHaveLength(ROUND_TRIPS_FOR_TWO_REPORTS[id]);
  });

  it('answers entity reads from memory until a write changes them', async () => {
    const { store, knex } = await createStore();
    const ref = 'component:default/chat-backend';
    expect((await store.getEntities([ref]))[0].owner).toBe(
      'group:default/chat-team',
    );
    // another replica's sync: unseen until the cache expires
    await knex('deploy_entities')
      .where('entity_ref', ref)
      .update({ owner: 'group:default/elsewhere' });
    const statements: string[] = [];
    const onQuery = (q: { sql: string }) => statements.push(q.sql);
    knex.on('query', onQuery);
    expect((await store.getEntities([ref]))[0].owner).toBe(
      'group:default/chat-team',
    );
    expect(statements).toHaveLength(0);
    knex.off('query', onQuery);
    // a write through this store empties the cache at once
    await store.upsertEntities(
      [{ ...entities[0], owner: 'group:default/new-team' }],
      new Date('2026-11-21T00:00:00Z'),
    );
    expect((await store.getEntities([ref]))[0].owner).toBe(
      'group:default/new-team',
    );
    await store.syncEntities(
      entities.slice(1),
      new Date('2026-11-22T00:00:00Z'),
    );
    expect(await store.getEntities([ref])).toEqual([]);
  });

  it('tracks live and previous version, slot and last status', async () => {
    const { store } = await createStore();
    await store.insertEvents([
      event({
        version: 'main-aaa1111',
        color: 'blue',
        finishedAt: new Date('2026-11-18T10:00:00Z'),
      }),
      event({
        version: 'main-bbb2222',
        color: 'green',
        finishedAt: new Date('2026-11-19T10:00:00Z'),
        actor: 'alice',
      }),
      event({
        version: 'main-ccc3333',
        status: 'failed',
        finishedAt: new Date('2026-11-20T10:00:00Z'),
      }),
    ]);
    const [state] = await store.getStates('component:default/chat-backend');
    expect(state).toMatchObject({
      environment: 'production',
      version: 'main-bbb2222',
      previousVersion: 'main-aaa1111',
      liveColor: 'green',
      lastStatus: 'failed',
      lastVersion: 'main-ccc3333',
      deployedBy: 'alice',
      deployedAt: '2026-11-19T10:00:00.000Z',
      health: 'unknown',
    });
  });

  it('lists the overview in one page with filters, sorting and totals', async () => {
    const { store } = await createStore();
    await store.insertEvents([
      event({ environment: 'staging' }),
      event({}),
      event({ entityRef: 'component:default/quote-backend', status: 'failed' }),
    ]);
    const all = await store.listOverview({
      orderBy: 'name',
      order: 'asc',
      limit: 2,
      offset: 0,
    });
    expect(all.totalItems).toBe(3);
    expect(all.items.map(i => i.entityRef)).toEqual([
      'component:default/chat-backend',
      'component:default/chat-web',
    ]);
    expect(Object.keys(all.items[0].environments).sort()).toEqual([
      'production',
      'staging',
    ]);
    expect(all.items[1].environments).toEqual({});

    const failed = await store.listOverview({
      status: 'failed',
      orderBy: 'name',
      order: 'asc',
      limit: 10,
      offset: 0,
    });
    expect(failed.items.map(i => i.entityRef)).toEqual([
      'component:default/quote-backend',
    ]);

    const bySystem = await store.listOverview({
      system: 'chat',
      q: 'WEB',
      orderBy: 'name',
      order: 'desc',
      limit: 10,
      offset: 0,
    });
    expect(bySystem.items.map(i => i.entityRef)).toEqual([
      'component:default/chat-web',
    ]);
    expect(bySystem.totalItems).toBe(1);
  });

  it('lists an entity failing in several environments once under the status filter', async () => {
    const { store } = await createStore();
    await store.insertEvents([
      event({ status: 'failed' }),
      event({ environment: 'staging', status: 'failed' }),
      event({ entityRef: 'component:default/chat-web', status: 'failed' }),
      event({ entityRef: 'component:default/quote-backend', status: 'failed' }),
    ]);
    const failed = await store.listOverview({
      status: 'failed',
      system: 'chat',
      orderBy: 'name',
      order: 'asc',
      limit: 10,
      offset: 0,
    });
    expect(failed.totalItems).toBe(2);
    expect(failed.items.map(i => i.entityRef)).toEqual([
      'component:default/chat-backend',
      'component:default/chat-web',
    ]);
    expect(Object.keys(failed.items[0].environments).sort()).toEqual([
      'production',
      'staging',
    ]);
  });

  it("aggregates every entity's production figures in one query", async () => {
    const { store } = await createStore();
    const at = (h: number) =>
      new Date(Date.parse('2026-11-10T00:00:00Z') + h * 3600_000);
    const deploy = (
      name: string,
      h: number,
      status: NewDeploymentEvent['status'],
      minutes: number,
      environment = 'production',
    ) =>
      event({
        entityRef: `component:default/${name}`,
        environment,
        status,
        version: `v-${h}`,
        startedAt: at(h),
        finishedAt: new Date(at(h).getTime() + minutes * 60_000),
      });
    await store.insertEvents([
      // chat-backend: 10 deploys of 1..10 minutes, two failures, each
      // followed by a success 2 h and 4 h later
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(i =>
        deploy(
          'chat-backend',
          i * 10 + (i === 4 ? 2 : 0) + (i === 8 ? 4 : 0),
          i === 3 || i === 7 ? 'failed' : 'succeeded',
          i,
        ),
      ),
      // outside the window, and another environment: not counted
      deploy('chat-backend', -24 * 30, 'failed', 99),
      deploy('chat-backend', 50, 'failed', 99, 'staging'),
      // quote-backend: one rolled back deploy, never restored
      deploy('quote-backend', 20, 'rolled_back', 3),
    ]);
    const rows = await store.entityFactsAggregates({
      from: at(0),
      to: at(24 * 7),
      environment: 'production',
    });
    expect(rows.map(r => r.entityRef)).toEqual([
      'component:default/chat-backend',
      'component:default/chat-web',
      'component:default/quote-backend',
    ]);
    const [chat, web, quote] = rows;
    expect(chat).toMatchObject({
      inEnvironment: true,
      terminal: 10,
      succeeded: 8,
      failures: 2,
      // nearest rank: ceil(0.9 × 10) = the 9th of 1..10 minutes
      p90DurationSeconds: 540,
      healthUrlConfigured: true,
      health: 'unknown',
    });
    // events happen when they finish: the failure at 30 h + 3 min, the
    // next success at 42 h + 4 min (12 h 1 min); 70 h + 7 min → 84 h + 8 min
    // (14 h 1 min): the nearest-rank median of the two is the first
    expect(chat.timeToRestoreSeconds).toBe(12 * 3600 + 60);
    expect(chat.deployedAt?.toISOString()).toBe(
      new Date(at(100).getTime() + 10 * 60_000).toISOString(),
    );
    expect(web).toMatchObject({
      terminal: 0,
      succeeded: 0,
      p90DurationSeconds: null,
      timeToRestoreSeconds: null,
      deployedAt: undefined,
      health: undefined,
    });
    expect(quote).toMatchObject({
      terminal: 1,
      failures: 1,
      p90DurationSeconds: 180,
      timeToRestoreSeconds: null,
    });
  });

  it('pages the history newest first', async () => {
    const { store } = await createStore();
    await store.insertEvents(
      [1, 2, 3].map(d =>
        event({
          version: `main-v${d}`,
          finishedAt: new Date(`2026-11-0${d}T10:00:00Z`),
        }),
      ),
    );
    const page = await store.listHistory({
      entityRef: 'component:default/chat-backend',
      limit: 2,
      offset: 0,
    });
    expect(page.totalItems).toBe(3);
    expect(page.items.map(i => i.version)).toEqual(['main-v3', 'main-v2']);
  });

  it('marks a service down after two consecutive failed probes only', async () => {
    const { store } = await createStore();
    await store.insertEvents([event({})]);
    const probe = (ok: boolean) =>
      store.recordHealth({
        entityRef: 'component:default/chat-backend',
        environment: 'production',
        checkedAt: new Date(),
        next: previous => nextHealth(previous, { ok }, 2),
      });
    expect(await probe(true)).toBe('up');
    expect(await probe(false)).toBe('up');
    expect(await probe(false)).toBe('down');
    expect(await probe(true)).toBe('up');
  });

  it('migrates down and up again', async () => {
    const { knex } = await createStore();
    const directory = require('node:path').resolve(
      __dirname,
      '../../migrations',
    );
    await knex.migrate.rollback({ directory }, true);
    expect(await knex.schema.hasTable('deploy_events')).toBe(false);
    await knex.migrate.latest({ directory });
    expect(await knex.schema.hasTable('deploy_events')).toBe(true);
  });
});
