/** The variable the Redis suites read (the local Redis: redis://127.0.0.1:6379). */
export const REDIS_ENV = 'TEST_REDIS_URL';

/** What a suite that needs Redis does: run, skip (with why), or fail. */
export type RedisForTest =
  | { run: true; url: string }
  | { run: false; reason: string };

/**
 * The rule of `postgresForTest` for Redis: with `TEST_REDIS_URL` set the
 * suite runs; without it, it is skipped with a printed reason, except under
 * CI, where a missing Redis is an error. Never a silent skip.
 */
export function redisForTest(
  env: Record<string, string | undefined>,
  suite: string,
): RedisForTest {
  const url = env[REDIS_ENV];
  if (url) return { run: true, url };
  const how = `set ${REDIS_ENV} (e.g. redis://127.0.0.1:6379; /work/wt/env.sh and scripts/test.sh set it)`;
  if (env.CI) {
    throw new Error(
      `${suite} needs Redis and CI is set: ${how}. A missing Redis is an error in CI, not a skip.`,
    );
  }
  return { run: false, reason: `Redis is not configured: ${how}` };
}
