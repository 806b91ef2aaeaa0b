import { TestDatabases } from '@backstage/backend-test-utils';
import { BackupRun } from '@platform-portal/backstage-plugin-backup-status-common';
import { Knex } from 'knex';
import { DatabaseBackupStore } from './DatabaseBackupStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** An HTTP credential's reports, refused on a conflict (the ingest route's). */
const HTTP = { source: 'http:ci-chat', onConflict: 'refuse' } as const;

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
    await expect(store.insertRuns([full], HTTP)).resolves.toEqual({
      stored: 1,
      duplicates: 0,
      conflicts: [],
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
    await expect(store.insertRuns([run('a'), run('a')], HTTP)).resolves.toEqual(
      {
        stored: 1,
        duplicates: 1,
        conflicts: [],
      },
    );
    const results = await Promise.all([
      store.insertRuns([run('b'), run('a')], HTTP),
      store.insertRuns([run('b')], HTTP),
    ]);
    expect(
      results.reduce((n, r) => n + ('stored' in r ? r.stored : 0), 0),
    ).toBe(1);
    expect(await store.countRuns()).toBe(2);
  });

  it('refuses a known key with other content, naming the fields, and stores nothing of the batch', async () => {
    await store.insertRuns([run('a', { sizeBytes: 10 })], HTTP);
    const result = await store.insertRuns(
      [
        run('fresh'),
        run('a', { status: 'failed', sizeBytes: 11, tool: 'pg_dump' }),
      ],
      HTTP,
    );
    expect(result).toEqual({
      conflict: {
        index: 1,
        idempotencyKey: 'a',
        fields: ['status', 'sizeBytes', 'tool'],
      },
    });
    expect(await store.countRuns()).toBe(1);
    const { runs } = await store.listEntityRuns({
      entityRef: 'resource:default/chat-db',
      limit: 10,
      offset: 0,
    });
    // the first report of key "a" stays as it was
    expect(runs).toEqual([run('a', { sizeBytes: 10 })]);
  });

  it('refuses a key repeated with other content within one batch', async () => {
    const result = await store.insertRuns(
      [run('a'), run('b'), run('a', { finishedAt: '2026-11-20T02:06:00Z' })],
      HTTP,
    );
    expect(result).toEqual({
      conflict: { index: 2, idempotencyKey: 'a', fields: ['finishedAt'] },
    });
    expect(await store.countRuns()).toBe(0);
  });

  it('lets one of two concurrent reports of a key with other content win, and refuses the other', async () => {
    const results = await Promise.all([
      store.insertRuns([run('race')], HTTP),
      store.insertRuns([run('race', { status: 'failed' })], HTTP),
    ]);
    expect(results.filter(r => 'conflict' in r)).toHaveLength(1);
    expect(results.filter(r => 'stored' in r && r.stored === 1)).toHaveLength(
      1,
    );
    expect(await store.countRuns()).toBe(1);
  });

  it('is no conflict when only oldestKeptAt differs: what storage kept when reported', async () => {
    await store.insertRuns(
      [run('a', { oldestKeptAt: '2026-10-21T02:05:00.000Z' })],
      HTTP,
    );
    await expect(
      store.insertRuns(
        [run('a', { oldestKeptAt: '2026-10-25T02:05:00.000Z' })],
        HTTP,
      ),
    ).resolves.toEqual({ stored: 0, duplicates: 1, conflicts: [] });
  });

  it('keeps the first run of a conflicting key with keep-first, and stores the rest of the batch', async () => {
    const scan = { source: 's3', onConflict: 'keep-first' } as const;
    await store.insertRuns([run('s3:1')], scan);
    await expect(
      store.insertRuns(
        [run('s3:1', { sizeBytes: 5 }), run('s3:2'), run('s3:2')],
        scan,
      ),
    ).resolves.toEqual({
      stored: 1,
      duplicates: 2,
      conflicts: [{ index: 0, idempotencyKey: 's3:1', fields: ['sizeBytes'] }],
    });
    expect(await store.countRuns()).toBe(2);
  });

  it("scopes keys per source: one source cannot pre-claim another source's key", async () => {
    await store.insertRuns([run('s3:abc', { status: 'failed' })], HTTP);
    await expect(
      store.insertRuns([run('s3:abc')], {
        source: 's3',
        onConflict: 'keep-first',
      }),
    ).resolves.toEqual({ stored: 1, duplicates: 0, conflicts: [] });
    await expect(
      store.insertRuns([run('s3:abc', { tool: 'x' })], {
        source: 'http:ci-quote',
        onConflict: 'refuse',
      }),
    ).resolves.toEqual({ stored: 1, duplicates: 0, conflicts: [] });
    expect(await store.countRuns()).toBe(3);
  });

  it('lists the status window plus the latest run per type and status, in one query', async () => {
    await store.insertRuns(
      [
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
      ],
      HTTP,
    );
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
      HTTP,
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
    await expect(store.insertRuns(batch, HTTP)).rejects.toMatchObject({
      message: expect.stringMatching(/not[- ]null/i),
    });
    expect(await store.countRuns()).toBe(0);
    // the same batch without the bad run stores completely
    await expect(store.insertRuns(batch.slice(0, 119), HTTP)).resolves.toEqual({
      stored: 119,
      duplicates: 0,
      conflicts: [],
    });
  });

  it('deletes runs before the cut-off in batches, keeping the latest of each entity, type and status', async () => {
    const day = (d: number) => `2026-01-${String(d).padStart(2, '0')}`;
    const at = (d: number) => ({
      startedAt: `${day(d)}T02:00:00.000Z`,
      finishedAt: `${day(d)}T02:05:00.000Z`,
    });
    await store.insertRuns(
      [
        // chat-db: five old good backups, one old failed, one old restore test
        ...[1, 2, 3, 4, 5].map(d => run(`good-${d}`, at(d))),
        run('failed-1', { ...at(6), status: 'failed' }),
        run('restore-1', { ...at(2), type: 'restore-test' }),
        // and two new good ones
        run('good-new-1', at(28)),
        run('good-new-2', at(29)),
        // redis: only old runs; its latest good backup stays
        run('redis-1', { ...at(3), entityRef: 'component:default/redis' }),
        run('redis-2', { ...at(4), entityRef: 'component:default/redis' }),
      ],
      HTTP,
    );
    const deleted = await store.deleteRunsBefore(
      new Date('2026-01-20T00:00:00Z'),
      { batchSize: 2 },
    );
    expect(deleted).toBe(6);
    const keys = async (entityRef: string) =>
      (
        await store.listEntityRuns({ entityRef, limit: 100, offset: 0 })
      ).runs.map(r => r.idempotencyKey);
    expect(await keys('resource:default/chat-db')).toEqual([
      'good-new-2',
      'good-new-1',
      'failed-1',
      'restore-1',
    ]);
    expect(await keys('component:default/redis')).toEqual(['redis-2']);
    // nothing more to delete
    await expect(
      store.deleteRunsBefore(new Date('2026-01-20T00:00:00Z')),
    ).resolves.toBe(0);
  });

  it('stops deleting when the signal aborts', async () => {
    await store.insertRuns(
      [1, 2, 3, 4, 5].map(d =>
        run(`old-${d}`, {
          startedAt: `2026-01-0${d}T02:00:00.000Z`,
          finishedAt: `2026-01-0${d}T02:05:00.000Z`,
        }),
      ),
      HTTP,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(
      store.deleteRunsBefore(new Date('2026-02-01T00:00:00Z'), {
        batchSize: 1,
        signal: controller.signal,
      }),
    ).resolves.toBe(0);
    expect(await store.countRuns()).toBe(5);
  });

  it('counts runs excluding one tool', async () => {
    await store.insertRuns(
      [run('x', { tool: 'demo' }), run('y', { tool: 'pg_dump' }), run('z')],
      HTTP,
    );
    expect(await store.countRuns()).toBe(3);
    expect(await store.countRuns({ excludeTool: 'demo' })).toBe(2);
  });
});
