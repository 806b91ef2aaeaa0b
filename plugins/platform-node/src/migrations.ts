import type { Knex } from 'knex';
import { createHash } from 'node:crypto';

/** A stable 63-bit advisory lock key for one migrations directory. */
function lockKey(directory: string): string {
  const hex = createHash('sha256').update(directory).digest('hex').slice(0, 15);
  return BigInt(`0x${hex}`).toString();
}

/**
 * Runs knex migrations so that a crash cannot leave the plugin unable to
 * start. knex marks `knex_migrations_lock.is_locked = 1` while it migrates;
 * a process killed in between leaves it set, and every later start fails
 * with "Migration table is already locked".
 *
 * On PostgreSQL, replicas take a transaction-scoped advisory lock first: the
 * database releases it when the holder's connection ends, crash included.
 * Whoever holds it is the only one migrating, so a knex lock still set is
 * stale and is freed before migrating. SQLite has one process per database
 * file, so a set lock is stale as well.
 *
 * @public
 */
export async function migrateWithLock(
  knex: Knex,
  options: { directory: string; tableName?: string },
): Promise<void> {
  const config = {
    directory: options.directory,
    ...(options.tableName ? { tableName: options.tableName } : {}),
  };
  const migrate = async () => {
    await knex.migrate.forceFreeMigrationsLock(config);
    await knex.migrate.latest(config);
  };
  if (knex.client.config.client === 'pg') {
    await knex.transaction(async trx => {
      await trx.raw('select pg_advisory_xact_lock(?::bigint)', [
        lockKey(options.directory),
      ]);
      await migrate();
    });
  } else {
    await migrate();
  }
}
