/**
 * Runs Prometheus's `promtool` (Debian's `prometheus` package; the test
 * command installs it). Without it the tests that need it fail with CI set,
 * naming the binary, and are skipped otherwise.
 */
/* eslint-disable jest/no-export, jest/valid-title, jest/expect-expect, jest/no-disabled-tests --
   a test helper: itWithPromtool passes the caller's title and test to `it` */
import { spawnSync } from 'node:child_process';

export const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

/** Whether promtool runs here. */
export function hasPromtool(): boolean {
  return !spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' }).error;
}

/**
 * `it` when promtool is there; with CI set and no promtool, a test that
 * fails naming the missing binary; otherwise a skipped test.
 */
export const itWithPromtool: jest.It = ((
  name: string,
  fn: jest.ProvidesCallback,
  timeout?: number,
) => {
  if (hasPromtool()) return it(name, fn, timeout);
  if (process.env.CI) {
    return it(name, () => {
      throw new Error(
        `'${PROMTOOL}' is missing: install it (sudo apt-get install -y prometheus) or set PROMTOOL; scripts/test.sh installs it when run as root`,
      );
    });
  }
  return it.skip(`${name} (no ${PROMTOOL} here)`, fn, timeout);
}) as jest.It;

/** Runs promtool; resolves with its output, throws it when it fails. */
export function promtool(args: string[], cwd?: string): string {
  const result = spawnSync(PROMTOOL, args, { encoding: 'utf8', cwd });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(`promtool ${args.join(' ')} failed:\n${output}`);
  }
  return output;
}
