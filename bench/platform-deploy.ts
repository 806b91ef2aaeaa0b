/*
 * Benchmark of the platform-deploy store: overview page latency (p50/p95 of a
 * 100-row page, filtered and unfiltered) at 39, 1,000 and 10,000 entities × 3
 * environments, and ingest throughput through the DeploymentService (the same
 * validation-free path the router calls after zod), on SQLite (in memory) and
 * on the local PostgreSQL. Prints a table and writes it to bench/RESULTS.md.
 *
 *   bash bench/run.sh            # or: node --require @backstage/cli/config/nodeTransform.cjs bench/platform-deploy.ts
 *
 * Measured at the store/service boundary: HTTP, auth and JSON add a
 * constant per request on top.
 */
import knexFactory, { Knex } from 'knex';
import { DeploymentStore } from '../plugins/platform-deploy-backend/src/database/DeploymentStore';
import { createDeploymentService } from '../plugins/platform-deploy-backend/src/service/createDeploymentService';
import { readPlatformDeployConfig } from '../plugins/platform-deploy-backend/src/config';
import { ConfigReader } from '@backstage/config';
import { quantile, writeSection } from './results';

const ENVIRONMENTS = ['staging', 'production', 'preview'];
const SIZES = [39, 1000, 10000];
const PG = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

async function openDatabase(kind: 'sqlite' | 'postgres'): Promise<Knex> {
  if (kind === 'sqlite') {
    return knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  }
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  await admin.raw('DROP DATABASE IF EXISTS bench_platform_deploy');
  await admin.raw('CREATE DATABASE bench_platform_deploy');
  await admin.destroy();
  return knexFactory({
    client: 'pg',
    connection: `${PG}/bench_platform_deploy`,
    pool: { min: 1, max: 5 },
  });
}

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
} as any;

async function benchOne(kind: 'sqlite' | 'postgres', size: number) {
  const knex = await openDatabase(kind);
  const store = await DeploymentStore.create({
    database: {
      getClient: async () => knex,
      migrations: { skip: false },
    } as any,
  });
  const entities = Array.from({ length: size }, (_, i) => ({
    entityRef: `component:default/svc-${String(i).padStart(5, '0')}`,
    name: `svc-${String(i).padStart(5, '0')}`,
    title: `Service ${i}`,
    system: `system-${i % 50}`,
    owner: `group:default/team-${i % 20}`,
    type: i % 3 === 0 ? 'website' : 'service',
    environments: ENVIRONMENTS,
    healthUrls: {},
    trusted: false,
  }));
  await store.syncEntities(entities, new Date());
  const config = readPlatformDeployConfig(
    new ConfigReader({
      platformDeploy: {
        environments: ENVIRONMENTS,
        healthProbe: { enabled: false },
      },
    }),
  );
  const service = createDeploymentService({
    store,
    logger: silent,
    lookupEntities: async () => [],
    environments: config.environments,
    productionEnvironment: config.productionEnvironment,
  });

  // Ingest: one event per entity × environment, in batches of 500 (backfill form).
  const events = entities.flatMap(e =>
    ENVIRONMENTS.map((environment, j) => ({
      entityRef: e.entityRef,
      environment,
      version: `main-${(j + 1).toString(16).padStart(7, '0')}`,
      status: (j === 2 ? 'failed' : 'succeeded') as 'failed' | 'succeeded',
      idempotencyKey: `bench-${e.name}-${environment}`,
      finishedAt: new Date().toISOString(),
    })),
  );
  const ingestStart = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += 500) {
    await service.ingest(events.slice(i, i + 500), { source: 'bench' });
  }
  const ingestSeconds = Number(process.hrtime.bigint() - ingestStart) / 1e9;
  // Single-event requests, as CI sends them.
  const singles = 300;
  const singleStart = process.hrtime.bigint();
  for (let i = 0; i < singles; i++) {
    await service.ingest(
      [
        {
          ...events[i % events.length],
          idempotencyKey: `single-${i}`,
          version: `main-s${String(i).padStart(6, '0')}`,
        },
      ],
      { source: 'bench' },
    );
  }
  const singleSeconds = Number(process.hrtime.bigint() - singleStart) / 1e9;

  const timings = async (query: any) => {
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = process.hrtime.bigint();
      const page = await store.listOverview({
        orderBy: 'name',
        order: 'asc',
        limit: 100,
        offset: (i * 100) % Math.max(size, 1),
        ...query,
      });
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (page.items.length === 0 && size > 0 && !query.status && !query.q)
        throw new Error('empty page');
    }
    samples.splice(0, 10); // warm-up
    return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
  };
  const plain = await timings({});
  const filtered = await timings({ status: 'failed', q: 'svc-0', offset: 0 });
  await knex.destroy();
  return {
    kind,
    size,
    plain,
    filtered,
    batchEventsPerSecond: Math.round(events.length / ingestSeconds),
    singleEventsPerSecond: Math.round(singles / singleSeconds),
  };
}

async function main() {
  const rows = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    for (const size of SIZES) {
      const r = await benchOne(kind, size);
      console.log(JSON.stringify(r));
      rows.push(r);
    }
  }
  const f = (n: number) => n.toFixed(1);
  const table = [
    '| database | entities × 3 envs | overview page p50 / p95 (ms) | filtered page p50 / p95 (ms) | ingest, batches of 500 (events/s) | ingest, one event per call (events/s) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.kind} | ${r.size} | ${f(r.plain.p50)} / ${f(r.plain.p95)} | ${f(
          r.filtered.p50,
        )} / ${f(r.filtered.p95)} | ${r.batchEventsPerSecond} | ${
          r.singleEventsPerSecond
        } |`,
    ),
  ].join('\n');
  console.log(table);
  writeSection(
    'platform-deploy store',
    `Targets (issue 3): overview p95 ≤ 50 ms for a 100-row page at 10,000 entities on PostgreSQL; ingest ≥ 500 events/s on one backend. Measured at the store/service boundary by \`bench/platform-deploy.ts\` (the HTTP numbers next to the catalog are in the next section).\n\n${table}\n`,
  );
}

main()
  .then(() => process.exit(0)) // the test backend leaves handles open
  .catch(e => {
    console.error(e);
    process.exit(1);
  });
