import { TestDatabases } from '@backstage/backend-test-utils';
import { BackupRun } from '@platform-portal/backstage-plugin-backup-status-common';
import { Knex } from 'knex';
import { DatabaseBackupStore } from './DatabaseBackupStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function run(key: string, overrides: Partial<BackupRun> = {}): BackupRun {
  return {
    entityRef: 'resource:default/chat-db',
    type: 'backup',
    status: 'succeeded',
    startedAt: '2026-11-20T02:00:00.000Z',
    finishedAt: '2026-11-20T02:05:00.000Z',
    idempotencyKey: key,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())('DatabaseBackupStore (%s)', id => {
  let knex: Knex;
  let store: DatabaseBackupStore;

  beforeAll(async () => {
    knex = await databases.init(id);
    store = await DatabaseBackupStore.create({
      database: { getClient: async () => knex },
    });
  });

  beforeEach(async () => {
    await knex('backup_runs').delete();
  });

  it('stores every field and reads it back unchanged', async () => {
    const full = run('full', {
      sizeBytes: 5_000_000_000,
      location: 's3://backups/chat-db/2026-11-20.dump',
      checksum: 'sha256:abc',
      tool: 'pg_dump',
      message: 'fine',
      oldestKeptAt: '2026-10-21T02:05:00.000Z',
      startedAt: '2026-11-20T03:00:00+01:00',
    });
    await expect(store.insertRuns([full])).resolves.toEqual({
      stored: 1,
      duplicates: 0,
    });
    const { runs, totalRuns } = await store.listEntityRuns({
      entityRef: 'resource:default/chat-db',
      limit: 10,
      offset: 0,
    });
    expect(totalRuns).toBe(1);
    expect(runs).toEqual([{ ...full, startedAt: '2026-11-20T02:00:00.000Z' }]);
  });

  it('stores an idempotency key once, also within one batch and concurrently', async () => {
    await expect(store.insertRuns([run('a'), run('a')])).resolves.toEqual({
      stored: 1,
      duplicates: 1,
    });
    const results = await Promise.all([
      store.insertRuns([run('b'), run('a', { status: 'failed' })]),
      store.insertRuns([run('b')]),
    ]);
    expect(results.reduce((n, r) => n + r.stored, 0)).toBe(1);
    expect(await store.countRuns()).toBe(2);
    const { runs } = await store.listEntityRuns({
      entityRef: 'resource:default/chat-db',
      limit: 10,
      offset: 0,
    });
    // The first report of key "a" wins; the later one is ignored.
    expect(runs.find(r => r.idempotencyKey === 'a')?.status).toBe('succeeded');
  });

  it('lists the status window plus the latest run per type and status, in one query', async () => {
    await store.insertRuns([
      run('old-good', {
        finishedAt: '2026-09-01T02:05:00.000Z',
        startedAt: '2026-09-01T02:00:00.000Z',
      }),
      run('older-good', {
        finishedAt: '2026-08-01T02:05:00.000Z',
        startedAt: '2026-08-01T02:00:00.000Z',
      }),
      run('recent-failed', { status: 'failed' }),
      run('recent-failed-2', {
        status: 'failed',
        finishedAt: '2026-11-21T02:05:00.000Z',
      }),
      run('other', { entityRef: 'component:default/redis' }),
      run('old-restore', {
        type: 'restore-test',
        finishedAt: '2026-07-01T02:05:00.000Z',
        startedAt: '2026-07-01T02:00:00.000Z',
      }),
    ]);
    const queries: string[] = [];
    const onQuery = (q: { sql: string }) => queries.push(q.sql);
    knex.on('query', onQuery);
    const byEntity = await store.listRunsForStatus({
      since: new Date('2026-11-01T00:00:00Z'),
    });
    knex.off('query', onQuery);

    expect(queries).toHaveLength(1);
    expect(
      byEntity.get('resource:default/chat-db')?.map(r => r.idempotencyKey),
    ).toEqual(['recent-failed-2', 'recent-failed', 'old-good', 'old-restore']);
    expect(
      byEntity.get('component:default/redis')?.map(r => r.idempotencyKey),
    ).toEqual(['other']);

    const onlyRedis = await store.listRunsForStatus({
      since: new Date('2026-11-01T00:00:00Z'),
      entityRefs: ['component:default/redis'],
    });
    expect([...onlyRedis.keys()]).toEqual(['component:default/redis']);
  });

  it('paginates one entity newest first and filters by type', async () => {
    await store.insertRuns(
      Array.from({ length: 5 }, (_, i) =>
        run(`d${i}`, {
          startedAt: `2026-11-1${i}T02:00:00.000Z`,
          finishedAt: `2026-11-1${i}T02:05:00.000Z`,
          type: i === 2 ? 'restore-test' : 'backup',
        }),
      ),
    );
    const page = await store.listEntityRuns({
      entityRef: 'resource:default/chat-db',
      limit: 2,
      offset: 1,
    });
    expect(page.totalRuns).toBe(5);
    expect(page.runs.map(r => r.idempotencyKey)).toEqual(['d3', 'd2']);
    const restores = await store.listEntityRuns({
      entityRef: 'resource:default/chat-db',
      types: ['restore-test', 'drill'],
      limit: 10,
      offset: 0,
    });
    expect(restores.runs.map(r => r.idempotencyKey)).toEqual(['d2']);
  });

  it('stores a batch all or nothing: a bad run in the last chunk leaves nothing stored', async () => {
    // 120 runs are three INSERT chunks; the last run breaks NOT NULL
    const batch = Array.from({ length: 120 }, (_, i) => run(`batch-${i}`));
    batch[119] = { ...batch[119], entityRef: null as unknown as string };
    // (matched by message: SQLite's error is not an Error of the test's realm)
    await expect(store.insertRuns(batch)).rejects.toMatchObject({
      message: expect.stringMatching(/not[- ]null/i),
    });
    expect(await store.countRuns()).toBe(0);
    // the same batch without the bad run stores completely
    await expect(store.insertRuns(batch.slice(0, 119))).resolves.toEqual({
      stored: 119,
      duplicates: 0,
    });
  });

  it('counts runs excluding one tool', async () => {
    await store.insertRuns([
      run('x', { tool: 'demo' }),
      run('y', { tool: 'pg_dump' }),
      run('z'),
    ]);
    expect(await store.countRuns()).toBe(3);
    expect(await store.countRuns({ excludeTool: 'demo' })).toBe(2);
  });
});
