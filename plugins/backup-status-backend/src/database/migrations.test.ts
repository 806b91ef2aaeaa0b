/*
 * Data survival of every migration, in the style of upstream's
 * notifications-backend: step to just before a migration, insert rows, migrate
 * up, check, migrate down, check. On SQLite and PostgreSQL.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { s3RunKey } from '@platform-portal/backstage-plugin-backup-status-backend-module-s3';
import { veleroRunKey } from '@platform-portal/backstage-plugin-backup-status-backend-module-velero';
import { TestDatabases } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-backup-status-backend',
  'migrations',
);
const migrationFiles = readdirSync(migrationsDir)
  .filter(f => f.endsWith('.js'))
  .sort();

async function migrateUpOnce(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDir });
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

/** Applies every migration before `target`, in order. */
async function migrateUntilBefore(knex: Knex, target: string) {
  const index = migrationFiles.indexOf(target);
  if (index === -1) throw new Error(`Migration ${target} not found`);
  for (let i = 0; i < index; i++) await migrateUpOnce(knex);
}

/** Timestamps as ISO strings: PostgreSQL returns Dates, SQLite strings. */
function normalize<T extends Record<string, unknown>>(rows: T[]) {
  return rows.map(row =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        k.endsWith('_at') && v !== null
          ? new Date(v as string).toISOString()
          : v,
      ]),
    ),
  );
}

const runRow = (key: string, entityRef = 'resource:default/chat-db') => ({
  idempotency_key: key,
  entity_ref: entityRef,
  type: 'backup',
  status: 'succeeded',
  started_at: '2026-11-20T02:00:00.000Z',
  finished_at: '2026-11-20T02:05:00.000Z',
  size_bytes: 5_000_000_000,
  location: `s3://backups/${key}.dump`,
  checksum: 'sha256:abc',
  tool: 'pg_dump',
  message: 'fine',
  oldest_kept_at: '2026-10-21T02:05:00.000Z',
  received_at: '2026-11-20T02:06:00.000Z',
});

const readRuns = async (knex: Knex) =>
  normalize(
    await knex('backup_runs')
      .select(
        'idempotency_key',
        'entity_ref',
        'type',
        'status',
        'started_at',
        'finished_at',
        'size_bytes',
        'location',
        'checksum',
        'tool',
        'message',
        'oldest_kept_at',
        'received_at',
      )
      .orderBy('idempotency_key'),
  ).map(r => ({ ...r, size_bytes: Number(r.size_bytes) }));

const INIT = '20261123120000_init.js';
const NOTIFICATION_STATE = '20261125000000_backup-status_notification_state.js';
const INGEST_SOURCES = '20261202120000_backup-status_ingest_sources.js';

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe('migrations', () => {
  it('has a data-survival test below for every migration file', () => {
    expect([INIT, NOTIFICATION_STATE, INGEST_SOURCES]).toEqual(migrationFiles);
  });
});

describe.each(databases.eachSupportedId())('migrations (%s)', databaseId => {
  let knex: Knex;

  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  afterEach(async () => {
    await knex.destroy();
  });

  it(`${INIT} keeps data up and down`, async () => {
    await migrateUntilBefore(knex, INIT);
    expect(await knex.schema.hasTable('backup_runs')).toBe(false);

    await migrateUpOnce(knex);
    await knex('backup_runs').insert([runRow('k1'), runRow('k2')]);
    expect(await readRuns(knex)).toEqual([runRow('k1'), runRow('k2')]);
    // The unique index on idempotency_key is what makes retries idempotent:
    // ON CONFLICT names it, and fails if it is missing.
    await knex('backup_runs')
      .insert({ ...runRow('k1'), status: 'failed' })
      .onConflict('idempotency_key')
      .ignore();
    expect(await readRuns(knex)).toEqual([runRow('k1'), runRow('k2')]);
    // a bigint: sizes above 2^31 survive
    expect((await readRuns(knex))[0].size_bytes).toBe(5_000_000_000);

    await migrateDownOnce(knex);
    expect(await knex.schema.hasTable('backup_runs')).toBe(false);
  });

  it(`${NOTIFICATION_STATE} keeps data up and down`, async () => {
    await migrateUntilBefore(knex, NOTIFICATION_STATE);
    const runs = [runRow('k1'), runRow('k2', 'component:default/redis')];
    await knex('backup_runs').insert(runs);
    expect(await knex.schema.hasTable('backup_notification_state')).toBe(false);

    await migrateUpOnce(knex);
    expect(await readRuns(knex)).toEqual(runs);
    const state = {
      entity_ref: 'resource:default/chat-db',
      status: 'critical',
      changed_at: '2026-11-20T12:00:00.000Z',
    };
    await knex('backup_notification_state').insert(state);
    // entity_ref is the key: the task's upsert merges onto it
    await knex('backup_notification_state')
      .insert({ ...state, status: 'ok', changed_at: '2026-11-21T12:00:00Z' })
      .onConflict('entity_ref')
      .merge(['status', 'changed_at']);
    expect(
      normalize(await knex('backup_notification_state').select('*')),
    ).toEqual([
      { ...state, status: 'ok', changed_at: '2026-11-21T12:00:00.000Z' },
    ]);

    await migrateDownOnce(knex);
    expect(await knex.schema.hasTable('backup_notification_state')).toBe(false);
    // the runs are untouched by the down migration
    expect(await readRuns(knex)).toEqual(runs);
    // and the migration applies again after its down
    await migrateUpOnce(knex);
    expect(await knex.schema.hasTable('backup_notification_state')).toBe(true);
  });

  it(`${INGEST_SOURCES} keeps data up and down, keys scoped per source`, async () => {
    await migrateUntilBefore(knex, INGEST_SOURCES);
    const byKey = (rows: Array<Record<string, unknown>>) =>
      [...rows].sort((a, b) =>
        String(a.idempotency_key).localeCompare(String(b.idempotency_key)),
      );
    const http = runRow('chat-db-2026-11-20');
    // the S3 source's old key: bucket, object key and ETag
    const s3 = {
      ...runRow('s3:placeholder'),
      idempotency_key: `s3:${sha256(
        'backups/resource/default/chat-db/2026-11-20.dump:abc123',
      )}`,
      location: 's3://backups/resource/default/chat-db/2026-11-20.dump',
      checksum: 'etag:abc123',
      tool: 's3',
      oldest_kept_at: null,
    };
    const velero = {
      ...runRow('velero:uid-1', 'component:default/redis'),
      location: 'velero://velero/redis-daily-1',
      checksum: null,
      tool: 'velero',
    };
    const demo = { ...runRow('demo:chat-db:backup:2026-11-20'), tool: 'demo' };
    // an S3 row whose location was cut at 1024 characters keeps its key
    const cut = {
      ...runRow('s3:cut'),
      location: `s3://backups/${'x'.repeat(1019)}`,
      tool: 's3',
    };
    const before = [http, s3, velero, demo, cut];
    await knex('backup_runs').insert(before);

    await migrateUpOnce(knex);
    const s3Key = `s3:${sha256(
      [
        'resource:default/chat-db',
        'backups',
        'resource/default/chat-db/2026-11-20.dump',
        'abc123',
        '2026-11-20T02:05:00.000Z',
      ].join('\n'),
    )}`;
    const veleroKey = 'velero:component:default/redis:uid-1';
    // the keys the modules' next scan reports for the same objects: found
    // stored, not stored again
    expect(s3Key).toBe(
      s3RunKey({
        entityRef: 'resource:default/chat-db',
        bucket: 'backups',
        key: 'resource/default/chat-db/2026-11-20.dump',
        etag: 'abc123',
        lastModified: new Date('2026-11-20T02:05:00.000Z'),
      }),
    );
    expect(veleroKey).toBe(veleroRunKey('component:default/redis', 'uid-1'));
    // every row survives; the sources' keys take their new form
    expect(byKey(await readRuns(knex))).toEqual(
      byKey([
        http,
        { ...s3, idempotency_key: s3Key },
        { ...velero, idempotency_key: veleroKey },
        demo,
        cut,
      ]),
    );
    expect(
      byKey(await knex('backup_runs').select('idempotency_key', 'source')),
    ).toEqual(
      byKey([
        { idempotency_key: http.idempotency_key, source: 'http' },
        { idempotency_key: s3Key, source: 's3' },
        { idempotency_key: veleroKey, source: 'velero' },
        { idempotency_key: demo.idempotency_key, source: 'demo' },
        { idempotency_key: 's3:cut', source: 's3' },
      ]),
    );
    // the unique key is (source, key): another source may use the same key,
    // the same source may not
    await knex('backup_runs').insert({
      ...http,
      source: 'http:ci-chat',
      status: 'failed',
    });
    await knex('backup_runs')
      .insert({ ...http, source: 'http:ci-chat', message: 'again' })
      .onConflict(['source', 'idempotency_key'])
      .ignore();
    expect(
      await knex('backup_runs')
        .where('idempotency_key', http.idempotency_key)
        .select('source', 'status')
        .orderBy('source'),
    ).toEqual([
      { source: 'http', status: 'succeeded' },
      { source: 'http:ci-chat', status: 'failed' },
    ]);

    await migrateDownOnce(knex);
    // one run per key again (the first stored), the sources' old keys
    expect(byKey(await readRuns(knex))).toEqual(byKey(before));
    expect(await knex.schema.hasColumn('backup_runs', 'source')).toBe(false);
    await knex('backup_runs')
      .insert({ ...http, status: 'failed' })
      .onConflict('idempotency_key')
      .ignore();
    expect(byKey(await readRuns(knex))).toEqual(byKey(before));
    // and the migration applies again after its down
    await migrateUpOnce(knex);
    expect(await knex.schema.hasColumn('backup_runs', 'source')).toBe(true);
  });
});
