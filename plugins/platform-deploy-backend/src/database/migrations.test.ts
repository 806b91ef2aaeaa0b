import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { describeWithPostgres } from '@platform-portal/backstage-plugin-platform-node/testUtils';
import fs from 'node:fs';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-platform-deploy-backend',
  'migrations',
);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** The migration files in the order knex runs them. */
function migrationFiles(): string[] {
  return fs
    .readdirSync(migrationsDir)
    .filter(f => f.endsWith('.js'))
    .sort();
}

const migrateUpOnce = (knex: Knex) =>
  knex.migrate.up({ directory: migrationsDir });
const migrateDownOnce = (knex: Knex) =>
  knex.migrate.down({ directory: migrationsDir });

/** Runs every migration before `target`, one at a time, as upstream does. */
async function migrateUntilBefore(knex: Knex, target: string) {
  const files = migrationFiles();
  const index = files.indexOf(target);
  if (index < 0) throw new Error(`no migration ${target}`);
  for (let i = 0; i < index; i++) {
    await migrateUpOnce(knex);
  }
}

const INIT = '20261123150000_platform_deploy_init.js';
const SOURCES = '20261202090000_platform_deploy_ingest_sources.js';
const TRUST = '20261202091000_platform_deploy_entity_trust.js';
const FOLD = '20261204090000_platform_deploy_fold_function.js';
/** The migrations tested below: each steps to before it, inserts, goes up, checks, goes down, checks. */
const TESTED = [INIT, SOURCES, TRUST, FOLD];

const at = new Date('2026-11-20T10:00:00Z');
const eventRow = (key: string, source: string, version = 'main-abc1234') => ({
  idempotency_key: key,
  entity_ref: 'component:default/chat-backend',
  environment: 'production',
  version,
  status: 'succeeded',
  event_at: at,
  source,
  received_at: at,
});

describe.each(databases.eachSupportedId())('migrations on %s', id => {
  it(`${INIT}: creates the three tables with their keys and defaults, and drops them`, async () => {
    const knex = await databases.init(id);
    await migrateUntilBefore(knex, INIT);
    // before it: nothing to keep
    for (const table of ['deploy_events', 'deploy_state', 'deploy_entities']) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }

    await migrateUpOnce(knex);
    const event = {
      idempotency_key: 'ci-run-1',
      entity_ref: 'component:default/chat-backend',
      environment: 'production',
      version: 'main-abc1234',
      status: 'succeeded',
      event_at: at,
      source: 'http',
      received_at: at,
    };
    await knex('deploy_events').insert(event);
    // The unique key is what makes a retried report idempotent: ON CONFLICT
    // names it, and fails if it is missing.
    await knex('deploy_events')
      .insert({ ...event, version: 'main-other00' })
      .onConflict('idempotency_key')
      .ignore();
    const events = await knex('deploy_events').select('version', 'color');
    expect(events).toEqual([{ version: 'main-abc1234', color: null }]);

    const state = {
      entity_ref: 'component:default/chat-backend',
      environment: 'production',
      last_status: 'succeeded',
      last_version: 'main-abc1234',
      last_event_at: at,
    };
    await knex('deploy_state').insert(state);
    await knex('deploy_state')
      .insert({ ...state, last_version: 'main-bbb2222' })
      .onConflict(['entity_ref', 'environment'])
      .merge(['last_version']);
    const [stateRow] = await knex('deploy_state').select(
      'last_version',
      'health',
      'health_failures',
      'demo',
    );
    expect({ ...stateRow, demo: Boolean(stateRow.demo) }).toEqual({
      last_version: 'main-bbb2222',
      health: 'unknown',
      health_failures: 0,
      demo: false,
    });

    await knex('deploy_entities').insert({
      entity_ref: 'component:default/chat-backend',
      name: 'chat-backend',
      environments: '["staging","production"]',
      health_urls: '{}',
      synced_at: at,
    });
    expect(await knex('deploy_entities').pluck('name')).toEqual([
      'chat-backend',
    ]);

    await migrateDownOnce(knex);
    for (const table of ['deploy_events', 'deploy_state', 'deploy_entities']) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
    // and up again from nothing
    await migrateUpOnce(knex);
    expect(await knex('deploy_events').count({ n: '*' })).toEqual([
      { n: id === 'POSTGRES_15' ? '0' : 0 },
    ]);
    await knex.destroy();
  });
});

describe.each(databases.eachSupportedId())('migrations on %s', id => {
  it(`${SOURCES}: keeps every event, scopes keys per source, and back`, async () => {
    const knex = await databases.init(id);
    await migrateUntilBefore(knex, SOURCES);
    await knex('deploy_events').insert([
      eventRow('ci-run-1', 'http'),
      eventRow('github:deployment_status:1', 'github'),
    ]);
    await knex('deploy_state').insert({
      entity_ref: 'component:default/chat-backend',
      environment: 'production',
      last_status: 'succeeded',
      last_version: 'main-abc1234',
      last_event_at: at,
    });

    await migrateUpOnce(knex);
    // every event and the state survive
    expect(
      await knex('deploy_events')
        .orderBy('id')
        .select('idempotency_key', 'source', 'version'),
    ).toEqual([
      { idempotency_key: 'ci-run-1', source: 'http', version: 'main-abc1234' },
      {
        idempotency_key: 'github:deployment_status:1',
        source: 'github',
        version: 'main-abc1234',
      },
    ]);
    expect(await knex('deploy_state').pluck('last_version')).toEqual([
      'main-abc1234',
    ]);
    // the same key from another (long) source is another event ...
    const longSource = `http:external:${'ci-'.repeat(40)}`;
    await knex('deploy_events').insert(
      eventRow('github:deployment_status:1', longSource, 'main-claim01'),
    );
    // ... and the same (source, key) is the conflict ON CONFLICT names
    await knex('deploy_events')
      .insert(eventRow('ci-run-1', 'http', 'main-other00'))
      .onConflict(['source', 'idempotency_key'])
      .ignore();
    expect(await knex('deploy_events').count({ n: '*' })).toEqual([
      { n: id === 'POSTGRES_15' ? '3' : 3 },
    ]);

    await migrateDownOnce(knex);
    // one event per key again: the first stays; http:<subject> is http again
    await knex('deploy_events').insert(
      eventRow('http-subject-key', 'http:external:ci-chat'),
    );
    await migrateUpOnce(knex);
    await migrateDownOnce(knex);
    expect(
      await knex('deploy_events')
        .orderBy('id')
        .select('idempotency_key', 'source', 'version'),
    ).toEqual([
      { idempotency_key: 'ci-run-1', source: 'http', version: 'main-abc1234' },
      {
        idempotency_key: 'github:deployment_status:1',
        source: 'github',
        version: 'main-abc1234',
      },
      {
        idempotency_key: 'http-subject-key',
        source: 'http',
        version: 'main-abc1234',
      },
    ]);
    await knex('deploy_events')
      .insert(eventRow('ci-run-1', 'other', 'main-other00'))
      .onConflict('idempotency_key')
      .ignore();
    expect(await knex('deploy_events').count({ n: '*' })).toEqual([
      { n: id === 'POSTGRES_15' ? '3' : 3 },
    ]);
    await knex.destroy();
  });

  it(`${TRUST}: keeps every entity, untrusted until the next sync, and back`, async () => {
    const knex = await databases.init(id);
    await migrateUntilBefore(knex, TRUST);
    const entity = {
      entity_ref: 'component:default/chat-backend',
      name: 'chat-backend',
      environments: '["production"]',
      health_urls: '{"production":"https://chat.example.com/health"}',
      synced_at: at,
    };
    await knex('deploy_entities').insert(entity);

    await migrateUpOnce(knex);
    const [row] = await knex('deploy_entities').select(
      'name',
      'health_urls',
      'trusted',
    );
    expect({ ...row, trusted: Boolean(row.trusted) }).toEqual({
      name: 'chat-backend',
      health_urls: entity.health_urls,
      trusted: false,
    });
    await knex('deploy_entities').update({ trusted: true });
    expect(
      Boolean((await knex('deploy_entities').first('trusted')).trusted),
    ).toBe(true);

    await migrateDownOnce(knex);
    expect(await knex('deploy_entities').select('name', 'health_urls')).toEqual(
      [{ name: 'chat-backend', health_urls: entity.health_urls }],
    );
    expect(await knex.schema.hasColumn('deploy_entities', 'trusted')).toBe(
      false,
    );
    await knex.destroy();
  });
});

/** A call of the fold function, as foldStatement.ts makes it. */
const fold = (knex: Knex, key: string) =>
  knex.raw(
    'select deploy_fold_event(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) as id',
    [key, 'component:default/chat-backend', 'production', 'main-def5678']
      .concat(['succeeded', null, null, null, null, null] as any[])
      .concat([at, null, 'alice', 'http:ci', at, false] as any[]),
  );

describe.each(databases.eachSupportedId())('migrations on %s', id => {
  it(`${FOLD}: keeps every event, and back`, async () => {
    const knex = await databases.init(id);
    await migrateUntilBefore(knex, FOLD);
    await knex('deploy_events').insert(eventRow('ci-run-1', 'http:ci'));
    await migrateUpOnce(knex);
    expect(await knex('deploy_events').pluck('idempotency_key')).toEqual([
      'ci-run-1',
    ]);
    await migrateDownOnce(knex);
    expect(await knex('deploy_events').pluck('idempotency_key')).toEqual([
      'ci-run-1',
    ]);
    await knex.destroy();
  });
});

describeWithPostgres(`${FOLD} on PostgreSQL`, () => {
  it('adds the fold function, and drops it again', async () => {
    const knex = await databases.init('POSTGRES_15');
    await migrateUntilBefore(knex, FOLD);
    await knex('deploy_events').insert(eventRow('ci-run-1', 'http:ci'));
    await migrateUpOnce(knex);
    // a new key is stored and folded; a known one is null, nothing written
    expect((await fold(knex, 'ci-run-2')).rows[0].id).not.toBeNull();
    expect((await fold(knex, 'ci-run-1')).rows[0].id).toBeNull();
    expect(await knex('deploy_state').select('version', 'deployed_by')).toEqual(
      [{ version: 'main-def5678', deployed_by: 'alice' }],
    );
    await migrateDownOnce(knex);
    await expect(fold(knex, 'ci-run-3')).rejects.toThrow(
      /function deploy_fold_event\(.*\) does not exist/,
    );
    expect(await knex('deploy_events').count({ n: '*' })).toEqual([{ n: '2' }]);
    await knex.destroy();
  });
});

describe('migrations', () => {
  it('has a data-survival test for every migration file', () => {
    expect(migrationFiles()).toEqual(TESTED);
  });
});
