/*
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl in a temp
 * directory, on a free port), so that a test may stop and restart it without
 * touching the machine's shared server. Needs the PostgreSQL 15 server
 * binaries (Debian's postgresql package); as root, runs them as `postgres`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export function throwawayPostgresAvailable() {
  return fs.existsSync(path.join(BIN, 'initdb'));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export class ThrowawayPostgres {
  private constructor(readonly dir: string, readonly port: number) {}

  static async start(): Promise<ThrowawayPostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-throwaway-'));
    const pg = new ThrowawayPostgres(dir, await freePort());
    if (process.getuid?.() === 0) {
      fs.chmodSync(dir, 0o700);
      execFileSync('chown', ['postgres:postgres', dir]);
    }
    pg.run('initdb', [
      '-D',
      pg.data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
    ]);
    pg.ctl('start');
    return pg;
  }

  get data() {
    return path.join(this.dir, 'data');
  }

  get connection() {
    return {
      host: '127.0.0.1',
      port: this.port,
      user: 'postgres',
      password: '',
    };
  }

  private run(binary: string, args: string[]) {
    const command = path.join(BIN, binary);
    const asPostgres = process.getuid?.() === 0;
    execFileSync(
      asPostgres ? 'runuser' : command,
      asPostgres ? ['-u', 'postgres', '--', command, ...args] : args,
      { stdio: 'pipe', timeout: 60_000 },
    );
  }

  private ctl(action: 'start' | 'stop' | 'restart') {
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-l',
      path.join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`,
      '-w',
      '-m',
      'fast',
      action,
    ]);
  }

  stop() {
    this.ctl('stop');
  }

  startAgain() {
    this.ctl('start');
  }

  /** Stops the cluster and removes its files. */
  destroy() {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
