/**
 * Runs once before both apps of the adoption test: packs our plugins
 * (pack-plugins.sh packs only the packages whose inputs changed since the
 * tarball in .tools/packs was made).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const WORK = path.join(ROOT, '.tools/adopt');

export default function globalSetup() {
  fs.mkdirSync(WORK, { recursive: true });
  const log = path.join(WORK, 'pack.log');
  const started = Date.now();
  try {
    execFileSync('bash', ['scripts/adopt/pack-plugins.sh'], {
      cwd: ROOT,
      stdio: ['ignore', fs.openSync(log, 'w'), fs.openSync(log, 'a')],
    });
  } catch {
    const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-40);
    throw new Error(`pack-plugins.sh failed:\n${tail.join('\n')}`);
  }
  const line = `pack-plugins.sh: ${((Date.now() - started) / 1000).toFixed(
    0,
  )} s (${fs.readFileSync(log, 'utf8').trim().split('\n').pop()})`;
  fs.writeFileSync(path.join(WORK, 'timings-pack.txt'), `${line}\n`);
  // eslint-disable-next-line no-console
  console.log(line);
}
