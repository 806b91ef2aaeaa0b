import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
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
/** The migrations tested below: each steps to before it, inserts, goes up, checks, goes down, checks. */
const TESTED = [INIT];

describe.each(databases.eachSupportedId())('migrations on %s', id => {
  it(`${INIT}: creates the three tables with their keys and defaults, and drops them`, async () => {
    const knex = await databases.init(id);
    await migrateUntilBefore(knex, INIT);
    // before it: nothing to keep
    for (const table of ['deploy_events', 'deploy_state', 'deploy_entities']) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }

    await migrateUpOnce(knex);
    const at = new Date('2026-11-20T10:00:00Z');
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

describe('migrations', () => {
  it('has a data-survival test for every migration file', () => {
    expect(migrationFiles()).toEqual(TESTED);
  });
});
