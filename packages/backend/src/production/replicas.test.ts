/*
 * Several replicas: two backend processes (the real packages/backend entry
 * with the production config, its secrets read from files) on one
 * PostgreSQL and one Redis. Each
 * scheduled task with scope 'global' must run once per cadence in total, not
 * once per replica, and an event posted to either replica is read from both.
 *
 * Evidence for the probes is what a real HTTP server sees: the one health URL
 * of the test's catalog is hit once per cadence whichever replica runs it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeWithPostgres } from '@platform-portal/backstage-plugin-platform-node/testUtils';
import {
  dropDatabasesWithPrefix,
  startLocalProduction,
} from './__testUtils__/productionSecrets';

jest.setTimeout(400_000);

const repoRoot = path.resolve(__dirname, '../../../..');
const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `replicas_${process.pid}_`;
const TOKEN = 'replica-test-ingest-token-0123456789';
const PROBE_SECONDS = 4;
/** Probe runs to observe after the first one. */
const RUNS = 8;

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

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

const dropDatabases = () => dropDatabasesWithPrefix(PG!, PREFIX);

describeWithPostgres('two backend replicas on one PostgreSQL', () => {
  const replicas: ChildProcess[] = [];
  const restarts = [0, 0];
  const lifecycle = { stopping: false };
  const probes: number[] = [];
  let healthServer: http.Server;
  let dir: string;
  let production: Awaited<ReturnType<typeof startLocalProduction>>;

  afterAll(async () => {
    lifecycle.stopping = true;
    for (const child of replicas) child.kill('SIGTERM');
    await Promise.all(
      replicas.map(
        c => new Promise(r => (c.exitCode !== null ? r(0) : c.once('exit', r))),
      ),
    );
    healthServer?.close();
    await production?.close();
    await dropDatabases();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs each global task once per cadence and shares ingested events', async () => {
    await dropDatabases();
    healthServer = http.createServer((_req, res) => {
      probes.push(Date.now());
      res.end('ok');
    });
    await new Promise<void>(r => healthServer.listen(0, '127.0.0.1', r));
    const healthPort = (healthServer.address() as net.AddressInfo).port;

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replicas-'));
    fs.writeFileSync(
      path.join(dir, 'catalog.yaml'),
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: replica-probe-target
  annotations:
    platform-portal.dev/environments: production
    platform-portal.dev/health-url.production: http://127.0.0.1:${healthPort}/health
spec:
  type: service
  owner: platform-team
  lifecycle: production
`,
    );
    const ports = [await freePort(), await freePort()];
    production = await startLocalProduction({
      postgres: PG!,
      redisUrl: REDIS_URL,
      port: ports[0],
      secrets: {
        'backend-secret': 'replica-test-backend-secret-0123456789',
        'ingest-token': TOKEN,
      },
    });
    const { env: localEnv, secretsDir } = production;

    for (const [index, port] of ports.entries()) {
      const configFile = path.join(dir, `replica-${index}.yaml`);
      fs.writeFileSync(
        configFile,
        JSON.stringify({
          backend: {
            baseUrl: `http://127.0.0.1:${port}`,
            listen: { port },
            database: { prefix: PREFIX },
          },
          catalog: {
            locations: [
              {
                type: 'file',
                target: path.join(dir, 'catalog.yaml'),
                rules: [{ allow: ['Component'] }],
              },
            ],
          },
          platformDeploy: {
            catalogSync: {
              schedule: { frequency: { seconds: 3 }, timeout: { seconds: 30 } },
            },
            healthProbe: {
              // Shorter than the cadence, and the local target allowlisted:
              // probes refuse loopback addresses otherwise.
              timeoutMs: 2000,
              allowedHosts: [`127.0.0.1:${healthPort}`],
              schedule: {
                frequency: { seconds: PROBE_SECONDS },
                timeout: { seconds: 30 },
              },
            },
          },
        }),
      );
      const start = (): ChildProcess => {
        const child = spawn(
          process.execPath,
          [
            '--require',
            require.resolve('@backstage/cli/config/nodeTransform.cjs'),
            path.join(repoRoot, 'packages/backend/src/index.ts'),
            '--config',
            'app-config.yaml',
            '--config',
            'app-config.production.yaml',
            '--config',
            configFile,
          ],
          {
            cwd: repoRoot,
            env: {
              PATH: process.env.PATH,
              ...localEnv,
              PORTAL_SECRETS_DIR: secretsDir,
              PORTAL_BASE_URL: `http://127.0.0.1:${port}`,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        for (const stream of [child.stdout!, child.stderr!]) {
          stream.on('data', d => {
            if (
              /Cannot start|failed to start|Unhandled rejection/i.test(
                String(d),
              )
            ) {
              process.stderr.write(
                `replica ${index}: ${String(d).slice(0, 500)}\n`,
              );
            }
          });
        }
        // what Kubernetes does: a replica that exits is started again
        child.once('exit', code => {
          if (code !== 0 && code !== null && !lifecycle.stopping) {
            restarts[index] += 1;
            replicas[index] = start();
          }
        });
        return child;
      };
      replicas[index] = start();
      // One after the other, as a rolling start does: two backends creating
      // a fresh database at the same moment race in Backstage's own
      // migrations (see docs/production-install.md, "First install").
      await waitFor(
        `replica ${index} to be ready`,
        async () =>
          (
            await fetch(
              `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
            )
          ).ok || undefined,
        240_000,
      );
    }

    const bases = ports.map(p => `http://127.0.0.1:${p}`);
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const base of bases) {
      await waitFor(
        `${base} to be ready`,
        async () =>
          (await fetch(`${base}/.backstage/health/v1/readiness`)).ok ||
          undefined,
        240_000,
      );
    }

    // No replica crashed on its way up (Kubernetes would restart it, and a
    // crash loop would pass unnoticed).
    expect(restarts).toEqual([0, 0]);

    // The health probe task (scope global) runs once per cadence in total:
    // if both replicas ran it, probes would come in pairs a few milliseconds
    // apart. Count runs as they come rather than in a fixed window.
    const first = await waitFor(
      'the first probe',
      async () => (probes.length > 0 ? probes.length : undefined),
      120_000,
    );
    await waitFor(
      `${RUNS} more probe runs`,
      async () => (probes.length >= first + RUNS ? true : undefined),
      (RUNS + 4) * PROBE_SECONDS * 3000,
    );
    const runs = probes.slice(first - 1);
    const gaps = runs.slice(1).map((at, i) => at - runs[i]);
    // eslint-disable-next-line no-console
    console.log(
      `replicas: probe runs ${
        gaps.length + 1
      }, gaps between them (ms): ${gaps.join(', ')}`,
    );
    // Runs slip by up to a second or so either way (the scheduler polls);
    // a second replica running the same cadence would probe within
    // milliseconds of the first.
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan((PROBE_SECONDS * 1000) / 4);
    }

    // An event posted to replica 0 is read from replica 1, and back.
    for (const [from, to] of [
      [0, 1],
      [1, 0],
    ]) {
      const version = `main-${from}${to}00000`;
      const posted = await fetch(
        `${bases[from]}/api/platform-deploy/v1/events`,
        {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            entityRef: 'component:default/replica-probe-target',
            environment: 'production',
            version,
            status: 'succeeded',
            idempotencyKey: `replica-test-${from}-${to}`,
          }),
        },
      );
      expect(posted.status).toBe(200);
      const read = await fetch(
        `${bases[to]}/api/platform-deploy/v1/entities/component/default/replica-probe-target`,
        { headers: auth },
      );
      expect(read.status).toBe(200);
      expect((await read.json()).states.production.version).toBe(version);
    }
  });
});
