/** The variable Backstage's TestDatabases reads for PostgreSQL 15. */
export const POSTGRES_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/** What a suite that needs PostgreSQL does: run, skip (with why), or fail. */
export type PostgresForTest =
  | { run: true; connectionString: string }
  | { run: false; reason: string };

/**
 * The rule of the test command for suites that need PostgreSQL: with the
 * connection string set they run; without it they are skipped with a
 * printed reason, except under CI (`CI` set), where a missing PostgreSQL is
 * an error that says how to get one. Never a silent skip.
 */
export function postgresForTest(
  env: Record<string, string | undefined>,
  suite: string,
): PostgresForTest {
  const connectionString = env[POSTGRES_ENV];
  if (connectionString) return { run: true, connectionString };
  const how = `set ${POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/postgres; scripts/test.sh sets it)`;
  if (env.CI) {
    throw new Error(
      `${suite} needs PostgreSQL and CI is set: ${how}. A missing PostgreSQL is an error in CI, not a skip.`,
    );
  }
  return { run: false, reason: `PostgreSQL is not configured: ${how}` };
}
