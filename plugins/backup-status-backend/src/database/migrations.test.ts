import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-backup-status-backend',
  'migrations',
);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('migrations (%s)', id => {
  it('20261123120000_init steps up and down', async () => {
    const knex = await databases.init(id);

    await knex.migrate.up({
      directory: migrationsDir,
      name: '20261123120000_init.js',
    });
    const row = {
      idempotency_key: 'k1',
      entity_ref: 'resource:default/chat-db',
      type: 'backup',
      status: 'succeeded',
      started_at: '2026-11-20T02:00:00.000Z',
      finished_at: '2026-11-20T02:05:00.000Z',
      received_at: '2026-11-20T02:06:00.000Z',
    };
    await knex('backup_runs').insert(row);
    // The unique index on idempotency_key is what makes retries idempotent:
    // ON CONFLICT names it, and fails if it is missing.
    await knex('backup_runs')
      .insert(row)
      .onConflict('idempotency_key')
      .ignore();
    const [{ n }] = await knex('backup_runs').count({ n: '*' });
    expect(Number(n)).toBe(1);

    await knex.migrate.down({ directory: migrationsDir });
    expect(await knex.schema.hasTable('backup_runs')).toBe(false);

    await knex.destroy();
  });
});
