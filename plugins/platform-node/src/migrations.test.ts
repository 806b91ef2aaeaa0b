import { TestDatabases } from '@backstage/backend-test-utils';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateWithLock } from './migrations';
import { describeWithPostgres } from './testUtils';

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function migrationsDir(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const [name, body] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

const quick = migrationsDir({
  '20260101000000_things.js': `
exports.up = knex => knex.schema.createTable('things', t => { t.string('id').primary(); });
exports.down = knex => knex.schema.dropTable('things');
`,
});

describe.each(databases.eachSupportedId())('migrateWithLock on %p', id => {
  it('starts after a crash left the knex migration lock set', async () => {
    const knex = await databases.init(id);
    await migrateWithLock(knex, { directory: migrationsDir({}) }); // creates knex's tables
    await knex('knex_migrations_lock').update({ is_locked: 1 }); // what a crash leaves
    // plain knex refuses to start from here on
    await expect(knex.migrate.latest({ directory: quick })).rejects.toThrow(
      /already locked/,
    );
    await migrateWithLock(knex, { directory: quick });
    expect(await knex('things').count({ n: '*' })).toEqual([
      { n: expect.anything() },
    ]);
    const [lock] = await knex('knex_migrations_lock');
    expect(Number(lock.is_locked)).toBe(0);
  });
});

// PostgreSQL only: replicas share one PostgreSQL, while SQLite is one process
// per file. The test command always provides PostgreSQL (see scripts/test.sh).
describeWithPostgres('replicas migrating at once', () => {
  it('migrate once between them', async () => {
    const knex = await databases.init('POSTGRES_15');
    await Promise.all([
      migrateWithLock(knex, { directory: quick }),
      migrateWithLock(knex, { directory: quick }),
      migrateWithLock(knex, { directory: quick }),
    ]);
    const done = await knex('knex_migrations').select('name');
    expect(done.map(r => r.name)).toEqual(['20260101000000_things.js']);
  });
});

describeWithPostgres('a process killed during migrations', () => {
  it('leaves no lock behind', async () => {
    const knex = await databases.init('POSTGRES_15');
    const slow = migrationsDir({
      '20260101000000_things.js': `
exports.up = async knex => {
  await knex.schema.createTable('things', t => { t.string('id').primary(); });
  // a long migration made of short statements, as real ones are
  for (let i = 0; i < 300; i++) await knex.raw('select pg_sleep(0.2)');
};
exports.down = knex => knex.schema.dropTable('things');
`,
    });
    // The child migrates through the same helper on the same database.
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '-e',
        `
const knex = require(${JSON.stringify(require.resolve('knex'))})({
  client: 'pg', connection: ${JSON.stringify(knex.client.config.connection)},
});
require(${JSON.stringify(require.resolve('./migrations'))})
  .migrateWithLock(knex, { directory: ${JSON.stringify(slow)} });
`,
      ],
      { stdio: 'inherit' },
    );
    // wait until the child is inside the migration, holding knex's lock
    const database = knex.client.config.connection.database;
    for (let i = 0; ; i++) {
      const { rows } = await knex.raw(
        `select 1 from pg_stat_activity where datname = ? and query like '%pg_sleep%' and pid <> pg_backend_pid()`,
        [database],
      );
      if (rows.length > 0) break;
      if (i > 600) throw new Error('the child never reached the migration');
      await new Promise(r => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await new Promise(r => child.once('exit', r));

    // knex runs a PostgreSQL batch in one transaction: the kill rolled back
    // the lock with the half-done migration
    const lock = await knex('knex_migrations_lock').first();
    expect(Number(lock.is_locked)).toBe(0);

    // the next start migrates (knex throws at once on a lock left set)
    await migrateWithLock(knex, { directory: quick });
    const done = await knex('knex_migrations').select('name');
    expect(done.map(r => r.name)).toEqual(['20260101000000_things.js']);
  });
});
