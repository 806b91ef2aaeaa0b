/*
 * HTTP benchmark of platform-deploy next to the catalog, on the same data: a
 * backend with the real catalog plugin (fed N components by an entity
 * provider) and the real platform-deploy plugin, on SQLite (in memory) or the
 * local PostgreSQL, answering over loopback HTTP.
 *
 * For N = 39, 1,000 and 10,000 components × 3 environments it measures
 *  - p50/p95 of `GET /api/platform-deploy/v1/overview?limit=100` (unfiltered
 *    and with `status` + `q` filters),
 *  - p50/p95 of the catalog's own `GET /api/catalog/entities/by-query?limit=100`
 *    (`filter=kind=component`) on the same entities,
 *  - ingest throughput of `POST /api/platform-deploy/v1/events`, batches of 500
 *    and one event per request.
 * Auth is the test backend's mock (a header check), so the numbers are HTTP,
 * JSON, validation and database, without token signature checks.
 *
 *   bash bench/run.sh     # all benchmarks, writes bench/RESULTS.md
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogBackend from '@backstage/plugin-catalog-backend';
import platformDeployBackend from '../plugins/platform-deploy-backend/src';
import { benchEntityProvider, freshPostgresConfig } from './backends';
import { machine, quantile, writeSection } from './results';

const ENVIRONMENTS = ['staging', 'production', 'preview'];
const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : [39, 1000, 10000];
const DATABASES = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(
  ',',
) as Array<'sqlite' | 'postgres'>;
const PG = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const PREFIX = 'bench_http_';

function components(size: number): Entity[] {
  return Array.from({ length: size }, (_, i) => {
    const name = `svc-${String(i).padStart(5, '0')}`;
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        title: `Service ${i}`,
        annotations: {
          'backstage.io/managed-by-location': 'bench:generated',
          'backstage.io/managed-by-origin-location': 'bench:generated',
          'platform-portal.dev/environments': ENVIRONMENTS.join(','),
        },
      },
      spec: {
        type: i % 3 === 0 ? 'website' : 'service',
        lifecycle: 'production',
        owner: `group:default/team-${i % 20}`,
        system: `system-${i % 50}`,
      },
    };
  });
}

/** A catalog module that feeds the generated components, as a provider would. */
async function databaseConfig(kind: 'sqlite' | 'postgres') {
  if (kind === 'sqlite') {
    return { client: 'better-sqlite3', connection: ':memory:' };
  }
  return freshPostgresConfig(PREFIX, PG);
}

async function benchOne(kind: 'sqlite' | 'postgres', size: number) {
  const entities = components(size);
  const backend = await startTestBackend({
    features: [
      databaseServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: { database: await databaseConfig(kind) },
          catalog: { processingInterval: { minutes: 30 } },
          platformDeploy: {
            environments: ENVIRONMENTS,
            // the bench is one token sending far more than CI would
            ingest: { eventsPerMinute: 1_000_000 },
          },
          // the mock service credential reports for every entity
          platformPortal: {
            ingest: {
              credentials: [
                { subject: 'external:test-service', allEntities: true },
              ],
            },
          },
        },
      }),
      catalogBackend,
      benchEntityProvider(entities),
      platformDeployBackend,
    ],
  });
  const address = backend.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  const user = { authorization: mockCredentials.user.header() };
  const service = {
    authorization: mockCredentials.service.header(),
    'content-type': 'application/json',
  };

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: user });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  // Wait until the catalog has processed and stitched every component.
  const loadStart = Date.now();
  for (;;) {
    const page = await get(
      '/api/catalog/entities/by-query?filter=kind=component&limit=1',
    );
    if (page.totalItems >= size) break;
    if (Date.now() - loadStart > 15 * 60_000) {
      throw new Error(`catalog has ${page.totalItems} of ${size}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
  const catalogLoadSeconds = (Date.now() - loadStart) / 1000;

  // Ingest over HTTP: one event per component × environment in batches of 500.
  const events = entities.flatMap(e =>
    ENVIRONMENTS.map((environment, j) => ({
      entityRef: `component:default/${e.metadata.name}`,
      environment,
      version: `main-${(j + 1).toString(16).padStart(7, '0')}`,
      status:
        j === 2 && Number(e.metadata.name.slice(4)) % 7 === 0
          ? 'failed'
          : 'succeeded',
      idempotencyKey: `bench-${e.metadata.name}-${environment}`,
      finishedAt: new Date().toISOString(),
    })),
  );
  const post = async (body: unknown) => {
    const res = await fetch(`${base}/api/platform-deploy/v1/events`, {
      method: 'POST',
      headers: service,
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`ingest: ${res.status} ${await res.text()}`);
  };
  // The first pass also looks every component up in the catalog (one call
  // per batch); the timed pass re-sends new events for known components.
  for (let i = 0; i < events.length; i += 500) {
    await post({ events: events.slice(i, i + 500) });
  }
  const again = events.map(e => ({
    ...e,
    idempotencyKey: `${e.idempotencyKey}-2`,
    version: e.version.replace('main-', 'main-b'),
  }));
  const batchStart = process.hrtime.bigint();
  for (let i = 0; i < again.length; i += 500) {
    await post({ events: again.slice(i, i + 500) });
  }
  const batchSeconds = Number(process.hrtime.bigint() - batchStart) / 1e9;
  const singles = 1000;
  const profile = process.env.BENCH_PROFILE ? await startProfile() : undefined;
  const pgWait = process.env.BENCH_PROFILE ? countPgQueries() : undefined;
  const singleStart = process.hrtime.bigint();
  for (let i = 0; i < singles; i++) {
    await post({
      ...events[i % events.length],
      idempotencyKey: `single-${i}`,
      version: `main-s${String(i).padStart(6, '0')}`,
    });
  }
  const singleSeconds = Number(process.hrtime.bigint() - singleStart) / 1e9;
  if (profile) console.log(await profile());
  if (pgWait) {
    const { queries, ms } = pgWait();
    console.log(
      `single events: ${(queries / singles).toFixed(
        2,
      )} PostgreSQL queries and ${(ms / singles).toFixed(
        2,
      )} ms waiting on them per request, of ${(
        (singleSeconds * 1000) /
        singles
      ).toFixed(2)} ms per request`,
    );
  }
  // The same, from a client in its own process (bench/ingestClient.ts), as
  // a CI job is: the backend's event loop does only the server's work.
  const processClient = await postFromClientProcess(
    `${base}/api/platform-deploy/v1/events`,
    service.authorization,
    Array.from({ length: singles }, (_, i) => ({
      ...events[(i + singles) % events.length],
      idempotencyKey: `process-${i}`,
      version: `main-p${String(i).padStart(6, '0')}`,
    })),
  );

  // CI pipelines report concurrently: 8 clients, one event per request.
  const clients = 8;
  const perClient = 75;
  const concurrentStart = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < perClient; i++) {
        const n = c * perClient + i;
        await post({
          ...events[(n * 7) % events.length],
          idempotencyKey: `concurrent-${n}`,
          version: `main-c${String(n).padStart(6, '0')}`,
        });
      }
    }),
  );
  const concurrentSeconds =
    Number(process.hrtime.bigint() - concurrentStart) / 1e9;

  const timings = async (path: (i: number) => string) => {
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = process.hrtime.bigint();
      await get(path(i));
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    samples.splice(0, 10); // warm-up
    return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
  };
  const offset = (i: number) => (i * 100) % Math.max(size, 1);
  const overview = await timings(
    i => `/api/platform-deploy/v1/overview?limit=100&offset=${offset(i)}`,
  );
  const filtered = await timings(
    () => `/api/platform-deploy/v1/overview?limit=100&status=failed&q=svc-0`,
  );
  const catalog = await timings(
    i =>
      `/api/catalog/entities/by-query?filter=kind=component&limit=100&offset=${offset(
        i,
      )}`,
  );
  await backend.stop();
  return {
    kind,
    size,
    catalogLoadSeconds,
    overview,
    filtered,
    catalog,
    batchEventsPerSecond: Math.round(again.length / batchSeconds),
    singleEventsPerSecond: Math.round(singles / singleSeconds),
    processClientEventsPerSecond: Math.round(
      processClient.count / processClient.seconds,
    ),
    concurrentEventsPerSecond: Math.round(
      (clients * perClient) / concurrentSeconds,
    ),
  };
}

/**
 * Runs bench/ingestClient.ts in a child process on `reports` (one request
 * each, sequentially) and resolves what it printed. Asynchronous: this
 * process serves the requests meanwhile.
 */
function postFromClientProcess(
  url: string,
  authorization: string,
  reports: unknown[],
): Promise<{ count: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(__dirname, 'ingestClient.ts'),
        url,
        authorization,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', chunk => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', code => {
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`bench/ingestClient.ts exited with ${code}`));
    });
    child.stdin.end(JSON.stringify(reports));
  });
}

/**
 * A CPU profile of this process (client and backend are one process) while
 * it runs: returns the self time per package, the busiest first.
 */
async function startProfile() {
  const inspector = await import('node:inspector/promises');
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as {
      profile: {
        nodes: Array<{
          id: number;
          callFrame: { url: string; functionName: string };
        }>;
        samples: number[];
        timeDeltas: number[];
      };
    };
    const byId = new Map(profile.nodes.map(n => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const { url, functionName } = byId.get(id)!.callFrame;
      const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
      const key = m
        ? m[1]
        : url.includes('/plugins/')
        ? `plugins/${url.split('/plugins/')[1].split('/')[0]}`
        : url
        ? 'node internals'
        : `(${functionName || 'native'})`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    return [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} % ${k}`)
      .join('\n');
  };
}

/**
 * Counts the queries of every `pg` client of this process and the time
 * from each query's send to its answer, until the returned function is called.
 */
function countPgQueries() {
  const pg = require('pg');
  const original = pg.Client.prototype.query;
  let queries = 0;
  let ns = 0n;
  pg.Client.prototype.query = function query(this: unknown, ...args: any[]) {
    queries += 1;
    const start = process.hrtime.bigint();
    const done = () => {
      ns += process.hrtime.bigint() - start;
    };
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...r: unknown[]) => {
        done();
        return last(...r);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof result.then === 'function') result.then(done, done);
    return result;
  };
  return () => {
    pg.Client.prototype.query = original;
    return { queries, ms: Number(ns) / 1e6 };
  };
}

async function main() {
  const loadBefore = loadavg()[0];
  const rows = [];
  for (const kind of DATABASES) {
    for (const size of SIZES) {
      const r = await benchOne(kind, size);
      console.log(JSON.stringify(r));
      rows.push(r);
    }
  }
  const f = (n: number) => n.toFixed(1);
  const table = [
    '| database | components × 3 envs | platform-deploy overview p50 / p95 (ms) | filtered overview p50 / p95 (ms) | catalog by-query p50 / p95 (ms) | ingest, batches of 500 (events/s) | ingest, one event per request, 1 client / 8 clients (events/s) | one event per request, 1 client in its own process (events/s) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.kind} | ${r.size} | ${f(r.overview.p50)} / ${f(
          r.overview.p95,
        )} | ${f(r.filtered.p50)} / ${f(r.filtered.p95)} | ${f(
          r.catalog.p50,
        )} / ${f(r.catalog.p95)} | ${r.batchEventsPerSecond} | ${
          r.singleEventsPerSecond
        } / ${r.concurrentEventsPerSecond} | ${
          r.processClientEventsPerSecond
        } |`,
    ),
  ].join('\n');
  console.log(table);
  writeSection(
    'platform-deploy over HTTP, next to the catalog',
    `Measured by \`bench/platform-deploy-http.ts\`: one backend with the real catalog and platform-deploy plugins, loopback HTTP with the test backend's mock auth, 100-row pages (offset pagination for both), the same N components in both plugins. One event per request: \"1 client / 8 clients\" post with Node's fetch from the bench's own process, which is the backend's; \"in its own process\" is bench/ingestClient.ts (node:http, one keep-alive connection) in a child process, as a CI job is, so the backend's event loop does only the server's work. Targets (issue 3): overview p95 ≤ 50 ms at 10,000 on PostgreSQL; ingest ≥ 500 events/s (issue 19: one sequential client, one event per request, on PostgreSQL). The machine: ${machine()}; the 1-minute load average was ${loadavg()[0].toFixed(
      1,
    )} at the end of the run, against ${loadBefore.toFixed(
      1,
    )} before it (the bench's own backend, client and PostgreSQL included).\n\n${table}\n`,
  );
}

main()
  .then(() => process.exit(0)) // the test backend leaves handles open
  .catch(e => {
    console.error(e);
    process.exit(1);
  });
