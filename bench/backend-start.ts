/*
 * Benchmark of the portal's backend process: cold start to ready (the
 * readiness endpoint answers 200) and resident memory after start and after
 * 10,000 ingested deployment events, on SQLite (in memory, the embedded
 * default) and on the local PostgreSQL (fresh databases each run).
 *
 *   bash bench/run.sh backend-start
 *
 * The backend runs from source through Backstage's on-the-fly transpiler
 * (as `yarn start` does); a built bundle (`yarn build:backend`) skips that.
 */
import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { postgresConfig, spawnPortalBackend, freePort } from './backends';
import { quantile, writeSection } from './results';

const PG = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TOKEN = 'bench-start-ingest-token-0123456789';
const PREFIX = 'bench_start_';

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function dropDatabases() {
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  const { rows } = await admin.raw(
    `select datname from pg_database where datname like ?`,
    [`${PREFIX}%`],
  );
  for (const { datname } of rows) {
    await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.destroy();
}

async function runOnce(kind: 'sqlite' | 'postgres') {
  if (kind === 'postgres') await dropDatabases();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  const configFile = path.join(dir, 'bench.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port },
        ...(kind === 'postgres'
          ? {
              database: postgresConfig(PREFIX),
            }
          : {}),
      },
      platformDeploy: {
        demo: { enabled: false },
        // the bench is one token sending far more than CI would (eventsPerMinute
        // replaced requestsPerMinute, which is no longer read)
        ingest: { eventsPerMinute: 1_000_000 },
      },
      backupStatus: { demo: { enabled: false } },
    }),
  );
  const started = process.hrtime.bigint();
  const child: ChildProcess = spawnPortalBackend({
    configFile,
    env: { PLATFORM_INGEST_TOKEN: TOKEN },
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    const ok = await fetch(`${base}/.backstage/health/v1/readiness`)
      .then(r => r.ok)
      .catch(() => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error('backend exited');
    await new Promise(r => setTimeout(r, 100));
  }
  const readySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await new Promise(r => setTimeout(r, 5000)); // settle: first scheduled tasks
  const rssAfterStart = rssMb(child.pid!);

  // 10,000 events through the ingest API (20 batches of 500), for the
  // components platform-deploy knows (the ingest token may read only our
  // plugins, not the catalog); wait until its catalog sync has run.
  let names: string[] = [];
  for (;;) {
    const res = await fetch(
      `${base}/api/platform-deploy/v1/overview?limit=100`,
      {
        headers: { authorization: `Bearer ${TOKEN}` },
      },
    ).catch(() => undefined);
    if (res?.ok) {
      names = (await res.json()).items.map((e: any) =>
        e.entityRef.replace(/^component:default\//, ''),
      );
      if (names.length >= 39) break;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  const ingestDeadline = Date.now() + 300_000;
  for (let b = 0; b < 20; b++) {
    const events = Array.from({ length: 500 }, (_, i) => {
      const n = b * 500 + i;
      return {
        entityRef: `component:default/${names[n % names.length]}`,
        environment: 'production', // every component has it (mobile apps only that)
        version: `main-${n.toString(16).padStart(7, '0')}`,
        status: 'succeeded',
        idempotencyKey: `bench-start-${n}`,
      };
    });
    for (;;) {
      const res = await fetch(`${base}/api/platform-deploy/v1/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ events }),
      });
      if (res.ok) break;
      if (res.status !== 400 || Date.now() > ingestDeadline) {
        throw new Error(`ingest ${res.status}: ${await res.text()}`);
      }
      // 400 until the plugin has synced the catalog's components
      await new Promise(r => setTimeout(r, 1000));
    }
  }
  const rssAfterIngest = rssMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise(r => child.once('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });
  if (kind === 'postgres') await dropDatabases();
  return { readySeconds, rssAfterStart, rssAfterIngest };
}

async function main() {
  const rows = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await runOnce(kind);
      console.log(JSON.stringify({ kind, ...r }));
      runs.push(r);
    }
    rows.push({
      kind,
      ready: quantile(
        runs.map(r => r.readySeconds),
        0.5,
      ),
      readyMax: Math.max(...runs.map(r => r.readySeconds)),
      rssStart: quantile(
        runs.map(r => r.rssAfterStart),
        0.5,
      ),
      rssIngest: quantile(
        runs.map(r => r.rssAfterIngest),
        0.5,
      ),
    });
  }
  const table = [
    '| database | cold start to ready, median / max (s) | RSS after start (MB) | RSS after 10,000 events (MB) |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.kind} | ${r.ready.toFixed(1)} / ${r.readyMax.toFixed(
          1,
        )} | ${r.rssStart.toFixed(0)} | ${r.rssIngest.toFixed(0)} |`,
    ),
  ].join('\n');
  console.log(table);
  writeSection(
    'backend cold start and memory',
    `Measured by \`bench/backend-start.ts\`: the real backend (every plugin of packages/backend) started ${RUNS} times per database from source (Backstage's on-the-fly transpiler, as \`yarn start\`), time from spawn to a 200 from \`/.backstage/health/v1/readiness\`, resident memory 5 s after ready and after 10,000 deployment events ingested over HTTP (20 batches of 500). PostgreSQL runs start on empty databases (every migration runs).\n\n${table}\n`,
  );
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    console.error(e);
    process.exit(1);
  });
