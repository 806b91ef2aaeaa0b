/**
 * Runs Compose's own validation (`docker-compose -f FILE config -q`, Debian's
 * `docker-compose` 1.29; no Docker daemon needed). Without the binary the
 * tests that need it fail with CI set, naming it (the test command installs
 * it), and are skipped otherwise.
 */
/* eslint-disable jest/no-export, jest/valid-title, jest/expect-expect, jest/no-disabled-tests --
   a test helper: itWithCompose passes the caller's title and test to `it` */
import { spawnSync } from 'node:child_process';

export const DOCKER_COMPOSE = process.env.DOCKER_COMPOSE ?? 'docker-compose';

/** Whether docker-compose runs here. */
export function hasDockerCompose(): boolean {
  return !spawnSync(DOCKER_COMPOSE, ['version', '--short'], {
    encoding: 'utf8',
  }).error;
}

/**
 * `it` when docker-compose is there; with CI set and no docker-compose, a
 * test that fails naming the missing binary; otherwise a skipped test.
 */
export const itWithCompose: jest.It = ((
  name: string,
  fn: jest.ProvidesCallback,
  timeout?: number,
) => {
  if (hasDockerCompose()) return it(name, fn, timeout);
  if (process.env.CI) {
    return it(name, () => {
      throw new Error(
        `'${DOCKER_COMPOSE}' is missing: install it (sudo apt-get install -y docker-compose) or set DOCKER_COMPOSE; scripts/test.sh installs it when run as root`,
      );
    });
  }
  return it.skip(`${name} (no ${DOCKER_COMPOSE} here)`, fn, timeout);
}) as jest.It;

/**
 * Validates a Compose file as Compose reads it (interpolation, schema, the
 * env files it names); throws Compose's message when it is rejected.
 */
export function composeConfig(file: string): void {
  const result = spawnSync(DOCKER_COMPOSE, ['-f', file, 'config', '-q'], {
    encoding: 'utf8',
    // no variables of the machine's own leak into the interpolation
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `docker-compose -f ${file} config -q failed:\n${result.stdout}${result.stderr}`,
    );
  }
}
