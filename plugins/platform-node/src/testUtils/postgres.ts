/* eslint-disable jest/no-export, jest/valid-title, jest/no-disabled-tests, jest/expect-expect, jest/valid-describe-callback */
// A helper that declares suites for the test files that call it: the jest
// rules written for test files do not fit it.
/**
 * The variable our tests (and Backstage's TestDatabases) read PostgreSQL from.
 *
 * @public
 */
export const POSTGRES_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

const HOW_TO =
  `set ${POSTGRES_ENV}=postgresql://postgres@127.0.0.1:5432/postgres ` +
  '(bash scripts/test.sh sets it, and installs PostgreSQL when run as root)';

/**
 * The connection string of the PostgreSQL that tests use, or undefined.
 *
 * Backstage's `TestDatabases` drops PostgreSQL without a word when this
 * variable is unset outside CI; this makes the absence loud instead: with
 * `CI` set, a missing PostgreSQL throws (the test file fails, naming what is
 * missing); without it, the skip is printed once per test file with its
 * reason.
 *
 * @public
 */
export function testPostgresConnection(): string | undefined {
  const connection = process.env[POSTGRES_ENV];
  if (connection) return connection;
  if (process.env.CI) {
    throw new Error(`PostgreSQL is required when CI is set: ${HOW_TO}`);
  }
  // eslint-disable-next-line no-console
  console.warn(`Skipping the PostgreSQL tests of this file: ${HOW_TO}`);
  return undefined;
}

/**
 * `describe` on PostgreSQL, or a visible skip that says why: a suite that
 * only makes sense on a shared server (replicas, restarts, advisory locks).
 *
 * @public
 */
export function describeWithPostgres(
  title: string,
  fn: (connection: string) => void,
): void {
  const connection = testPostgresConnection();
  if (connection) {
    describe(title, () => fn(connection));
  } else {
    describe.skip(`${title} (needs PostgreSQL: ${POSTGRES_ENV} is unset)`, () => {
      it('runs on PostgreSQL only', () => {});
    });
  }
}
