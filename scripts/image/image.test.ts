/**
 * The portal's image, built by scripts/image/build.sh, run for real with
 * Podman: the production config against the machine's PostgreSQL and Redis
 * and an S3 server (s3rver) as the TechDocs bucket, the way
 * deploy/kubernetes runs it (its user, a read-only root with only the pod's
 * writable volumes, the Secrets as read-only files, its probes and its grace
 * period, all read from the manifests by readPortalPod).
 *
 * The container shares the machine's network (`--network host`: PostgreSQL
 * listens on 127.0.0.1 only), so the backend's port, 7007, must be free.
 */
import { test, expect } from '@playwright/test';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readPortalPod } from '../../packages/backend/src/production/__testUtils__/portalPod';
import {
  dropDatabasesWithPrefix,
  startLocalProduction,
} from '../../packages/backend/src/production/__testUtils__/productionSecrets';

const ROOT = path.resolve(__dirname, '../..');
const IMAGE = process.env.PORTAL_IMAGE ?? 'localhost/platform-portal:test';
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `image_test_${process.pid}_`;
const CONTAINER = `portal-image-test-${process.pid}`;
const pod = readPortalPod();
const env = {
  ...process.env,
  CONTAINERS_CONF:
    process.env.CONTAINERS_CONF ?? path.join(__dirname, 'containers.conf'),
};

const execFileAsync = promisify(execFile);

function podman(args: string[]): string {
  return execFileSync('podman', args, { env, encoding: 'utf8' }).trim();
}

/** podman's exit code and output, without throwing on a non-zero exit. */
async function podmanResult(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('podman', args, {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error: any) {
    return {
      code: typeof error.code === 'number' ? error.code : 1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    };
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const dropDatabases = () => dropDatabasesWithPrefix(PG, PREFIX);

type Run = { name: string; env: Record<string, string>; secretsDir: string };

/**
 * `podman run` as the pod runs: the image's own user and command, a
 * read-only root, a tmpfs at each of the pod's writable paths, the secrets
 * read-only at the pod's mount path.
 */
function runArgs(run: Run): string[] {
  return [
    'run',
    '--detach',
    '--name',
    run.name,
    '--network',
    'host',
    ...(pod.readOnlyRootFilesystem ? ['--read-only'] : []),
    ...pod.writablePaths.flatMap(p => ['--tmpfs', `${p}:rw,mode=1777`]),
    '--volume',
    `${run.secretsDir}:${pod.secretsPath}:ro`,
    ...Object.entries(run.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    IMAGE,
  ];
}

async function waitForExit(name: string, timeoutMs: number): Promise<number> {
  const { stdout } = await execFileAsync(
    'timeout',
    [String(Math.ceil(timeoutMs / 1000)), 'podman', 'wait', name],
    { env },
  );
  return Number(stdout.trim());
}

test.describe.configure({ mode: 'serial' });

test.describe('the portal image', () => {
  let production: Awaited<ReturnType<typeof startLocalProduction>>;
  let secretsDir: string;
  let runEnv: Record<string, string>;
  let startedMs = 0;

  test.beforeAll(async () => {
    test.setTimeout(
      pod.startupProbe.periodSeconds *
        pod.startupProbe.failureThreshold *
        1000 +
        60_000,
    );
    expect(
      await portIsFree(pod.port),
      `port ${pod.port} is taken: the image test runs the backend on it`,
    ).toBe(true);
    await dropDatabases();
    production = await startLocalProduction({
      postgres: PG,
      redisUrl: REDIS_URL,
      port: pod.port,
    });
    secretsDir = production.secretsDir;
    // The pod's user reads the secrets through its group (fsGroup, 0440).
    for (const file of fs.readdirSync(secretsDir)) {
      fs.chmodSync(path.join(secretsDir, file), 0o444);
    }
    fs.chmodSync(secretsDir, 0o755);
    runEnv = {
      ...production.env,
      // this test's own databases, dropped at the end
      APP_CONFIG_backend_database_prefix: PREFIX,
    };
    await podmanResult(['rm', '--force', CONTAINER]);
    startedMs = Date.now();
    podman(runArgs({ name: CONTAINER, env: runEnv, secretsDir }));
  });

  test.afterAll(async () => {
    const logs = await podmanResult(['logs', CONTAINER]);
    if (logs.code === 0) {
      fs.mkdirSync(path.join(ROOT, '.tools/reports'), { recursive: true });
      fs.writeFileSync(
        path.join(ROOT, '.tools/reports/image-backend.log'),
        logs.stdout + logs.stderr,
      );
    }
    await podmanResult(['rm', '--force', '--time', '0', CONTAINER]);
    await production?.close();
    await dropDatabases();
  });

  test('starts within its start-up probe budget and answers every probe', async () => {
    const budgetMs =
      pod.startupProbe.periodSeconds * pod.startupProbe.failureThreshold * 1000;
    test.setTimeout(budgetMs + 30_000);
    const base = `http://127.0.0.1:${pod.port}`;
    await expect
      .poll(
        async () => {
          const state = podman([
            'inspect',
            CONTAINER,
            '--format',
            '{{.State.Status}}',
          ]);
          if (state !== 'running') {
            const logs = await podmanResult([
              'logs',
              '--tail',
              '40',
              CONTAINER,
            ]);
            throw new Error(
              `the container is ${state}:\n${logs.stdout}${logs.stderr}`,
            );
          }
          return fetch(`${base}${pod.readinessProbe.path}`).then(
            r => r.status,
            () => 0,
          );
        },
        { timeout: budgetMs, intervals: [1000] },
      )
      .toBe(200);
    test.info().annotations.push({
      type: 'ready after',
      description: `${((Date.now() - startedMs) / 1000).toFixed(1)} s`,
    });
    for (const probe of [
      pod.startupProbe,
      pod.livenessProbe,
      pod.readinessProbe,
    ]) {
      expect((await fetch(`${base}${probe.path}`)).status, probe.path).toBe(
        200,
      );
    }
    // the app the backend serves
    const page = await fetch(`${base}/catalog`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  test("runs as the manifests' non-root user", async () => {
    const status = podman(['exec', CONTAINER, 'cat', '/proc/1/status']);
    const [uid] = /^Uid:\s+(\d+)/m.exec(status)!.slice(1).map(Number);
    const [gid] = /^Gid:\s+(\d+)/m.exec(status)!.slice(1).map(Number);
    expect(uid).not.toBe(0);
    expect({ uid, gid }).toEqual({ uid: pod.uid, gid: pod.gid });
    expect(podman(['exec', CONTAINER, 'cat', '/proc/1/cmdline'])).toContain(
      'packages/backend',
    );
  });

  test('writes only to the paths the pod mounts writable', async () => {
    const probe = (dirPath: string) =>
      podmanResult([
        'exec',
        CONTAINER,
        'sh',
        '-c',
        `touch ${dirPath}/.image-test-write && rm ${dirPath}/.image-test-write`,
      ]);
    for (const writable of pod.writablePaths) {
      expect((await probe(writable)).code, writable).toBe(0);
    }
    for (const readOnly of [
      '/app',
      '/app/packages/backend',
      '/home/node',
      '/',
    ]) {
      const result = await probe(readOnly);
      expect(result.code, readOnly).not.toBe(0);
      expect(result.stderr, readOnly).toMatch(/Read-only file system/);
    }
  });

  test("passes the image's own HEALTHCHECK", async () => {
    const check = podman([
      'image',
      'inspect',
      IMAGE,
      '--format',
      '{{json .HealthCheck}}',
    ]);
    expect(check).toContain('/.backstage/health/v1/readiness');
    const result = await podmanResult(['healthcheck', 'run', CONTAINER]);
    expect(result, result.stdout + result.stderr).toMatchObject({ code: 0 });
  });

  test('holds no tools, no compilers, no ingest token, no tests and no sources of our packages', async () => {
    const files = (
      await podmanResult([
        'run',
        '--rm',
        '--network',
        'none',
        IMAGE,
        'find',
        '/app',
        '-xdev',
      ])
    ).stdout.split('\n');
    expect(files.length).toBeGreaterThan(1000);
    const ours = files.filter(
      f =>
        !f.includes('/node_modules/') &&
        !/^\/app\/templates\/[^/]+\/skeleton\//.test(f),
    );
    expect(
      ours.filter(f => /\/\.tools(\/|$)|\/\.git(\/|$)|ingest-token/.test(f)),
    ).toEqual([]);
    expect(
      ours.filter(f =>
        /\.test\.[jt]sx?$|__tests__|__testUtils__|\/e2e-tests\//.test(f),
      ),
    ).toEqual([]);
    expect(
      ours.filter(f => /^\/app\/(packages|plugins)\/[^/]+\/src\//.test(f)),
    ).toEqual([]);
    // No compilers and no mkdocs: CI publishes the TechDocs.
    const tools = await podmanResult([
      'run',
      '--rm',
      '--network',
      'none',
      IMAGE,
      'sh',
      '-c',
      'for t in g++ gcc make mkdocs python3; do command -v $t || true; done',
    ]);
    expect(tools.stdout.trim()).toBe('');
    // The ingest token of this checkout (.tools/ingest-token) is in no file.
    const tokenFile = path.join(ROOT, '.tools/ingest-token');
    if (fs.existsSync(tokenFile)) {
      const token = fs.readFileSync(tokenFile, 'utf8').trim();
      const grep = await podmanResult([
        'run',
        '--rm',
        '--network',
        'none',
        '--env',
        `TOKEN=${token}`,
        IMAGE,
        'sh',
        '-c',
        'grep -rlF -- "$TOKEN" /app /home /etc || true',
      ]);
      expect(grep.stdout.trim()).toBe('');
    }
  });

  test('ends cleanly on SIGTERM within the grace period', async () => {
    const grace = pod.terminationGracePeriodSeconds;
    test.setTimeout((grace + 30) * 1000);
    const started = Date.now();
    // podman stop: SIGTERM, then SIGKILL after the grace period, as the kubelet does
    const stop = await podmanResult([
      'stop',
      '--time',
      String(grace),
      CONTAINER,
    ]);
    const seconds = (Date.now() - started) / 1000;
    expect(stop.code, stop.stderr).toBe(0);
    const exitCode = Number(
      podman(['inspect', CONTAINER, '--format', '{{.State.ExitCode}}']),
    );
    test.info().annotations.push({
      type: 'stopped after',
      description: `${seconds.toFixed(1)} s, exit code ${exitCode}`,
    });
    expect(seconds).toBeLessThan(grace);
    // 137 would be SIGKILL: the backend did not stop by itself
    expect(exitCode).not.toBe(137);
    expect([0, 143]).toContain(exitCode);
  });

  test('stops at start naming a missing variable and a missing secret file', async () => {
    const name = `${CONTAINER}-incomplete`;
    const incompleteSecrets = fs.mkdtempSync(
      path.join(os.tmpdir(), 'portal-image-secrets-'),
    );
    fs.cpSync(secretsDir, incompleteSecrets, { recursive: true });
    fs.rmSync(path.join(incompleteSecrets, 'backend-secret'));
    fs.chmodSync(incompleteSecrets, 0o755);
    const { POSTGRES_HOST: _unset, ...withoutHost } = runEnv;
    try {
      await podmanResult(['rm', '--force', name]);
      podman(
        runArgs({ name, env: withoutHost, secretsDir: incompleteSecrets }),
      );
      const code = await waitForExit(name, 60_000);
      const logs = await podmanResult(['logs', name]);
      const output = logs.stdout + logs.stderr;
      expect(code).not.toBe(0);
      expect(output).toContain('POSTGRES_HOST');
      expect(output).toContain(`${pod.secretsPath}/backend-secret`);
    } finally {
      await podmanResult(['rm', '--force', '--time', '0', name]);
      fs.rmSync(incompleteSecrets, { recursive: true, force: true });
    }
  });
});
