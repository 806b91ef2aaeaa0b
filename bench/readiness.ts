/*
 * Benchmark of the production readiness scorecards on the local PostgreSQL:
 * one backend with the real catalog (fed N components and N/4 databases by
 * an entity provider), platform-deploy and backup-status (fed through their
 * ingest APIs), the tech-insights backend with the jsonfc checker and the
 * portal's fact retrievers, and the readiness plugin, with the checks and
 * levels of app-config.yaml. It measures
 *  - each fact retriever's run (read its source in bulk, store N facts),
 *  - the readiness evaluation (bulk check run through tech-insights, levels,
 *    store),
 *  - p50/p95 of `GET /api/readiness/v1/overview` (every entity) and of
 *    `/v1/trend?days=90` over 90 days of history, side by side with the
 *    catalog's `GET /api/catalog/entities/by-query?limit=100` in the same run.
 * Auth is the test backend's mock (a header check).
 *
 *   bash bench/run.sh readiness          # BENCH_SIZES=1000,10000 to choose N
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogBackend from '@backstage/plugin-catalog-backend';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonfc from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';
import yaml from 'yaml';
import backupStatusBackend from '../plugins/backup-status-backend/src';
import platformDeployBackend from '../plugins/platform-deploy-backend/src';
import readinessBackend from '../plugins/readiness-backend/src';
import techInsightsPlatform from '../plugins/tech-insights-backend-module-platform/src';
import { benchEntityProvider, freshPostgresConfig } from './backends';
import { quantile, writeSection } from './results';

const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : [10000];
const PREFIX = 'bench_readiness_';
const HOUR = 3_600_000;
const DEPLOYS_PER_COMPONENT = 8;
const appConfig = yaml.parse(
  fs.readFileSync(path.resolve(__dirname, '../app-config.yaml'), 'utf8'),
);

function estate(size: number): Entity[] {
  const managed = {
    'backstage.io/managed-by-location': 'bench:generated',
    'backstage.io/managed-by-origin-location': 'bench:generated',
  };
  const databases = Math.max(1, Math.floor(size / 4));
  return [
    ...Array.from({ length: databases }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: `db-${String(i).padStart(5, '0')}`,
        annotations: {
          ...managed,
          'platform-portal.dev/backup-policy': 'postgres-daily',
        },
      },
      spec: { type: 'database', owner: `group:default/team-${i % 20}` },
    })),
    ...Array.from({ length: size }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${String(i).padStart(5, '0')}`,
        title: `Service ${i}`,
        description: i % 9 === 0 ? undefined : `Service number ${i}`,
        annotations: {
          ...managed,
          'platform-portal.dev/environments': 'staging,production',
          'platform-portal.dev/health-url.production': `https://svc-${i}.example/health`,
          ...(i % 2 ? { 'backstage.io/techdocs-ref': 'dir:.' } : {}),
        },
        links:
          i % 3 ? [{ url: 'https://x.example/runbook', type: 'runbook' }] : [],
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/team-${i % 20}`,
        system: `system-${i % 50}`,
        dependsOn:
          i % 2
            ? [`resource:db-${String(i % databases).padStart(5, '0')}`]
            : [],
      },
    })),
  ];
}

async function benchOne(size: number) {
  const entities = estate(size);
  const components = entities.filter(e => e.kind === 'Component');
  const databases = entities.filter(e => e.kind === 'Resource');
  const scheduler = mockServices.scheduler();
  const database = await freshPostgresConfig(PREFIX);
  const backend = await startTestBackend({
    features: [
      databaseServiceFactory,
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database },
          catalog: {
            processingInterval: { minutes: 30 },
            rules: [{ allow: ['Component', 'Resource'] }],
          },
          platformDeploy: {
            environments: ['staging', 'production'],
            healthProbe: { enabled: false },
            ingest: { eventsPerMinute: 100_000_000 },
          },
          backupStatus: { ingest: { requestsPerMinute: 100_000 } },
          platformPortal: {
            ingest: {
              credentials: [
                { subject: 'external:test-service', allEntities: true },
              ],
            },
          },
          techInsights: appConfig.techInsights,
          readiness: appConfig.readiness,
        },
      }),
      catalogBackend,
      benchEntityProvider(entities),
      platformDeployBackend,
      backupStatusBackend,
      techInsightsBackend,
      techInsightsJsonfc,
      techInsightsPlatform,
      readinessBackend,
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
  const get = async (p: string) => {
    const res = await fetch(`${base}${p}`, { headers: user });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${base}${p}`, {
      method: 'POST',
      headers: service,
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  };

  const loadStart = Date.now();
  for (;;) {
    const page = await get(
      '/api/catalog/entities/by-query?filter=kind=component&limit=1',
    );
    if (page.totalItems >= size) break;
    if (Date.now() - loadStart > 20 * 60_000) {
      throw new Error(`catalog has ${page.totalItems} of ${size}`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  console.log(`catalog loaded in ${(Date.now() - loadStart) / 1000} s`);
  await scheduler.triggerTask('platform-deploy-catalog-sync');

  // 8 production deploys per component over the last 28 days, some failed
  const now = Date.now();
  const events = components.flatMap((c, i) =>
    Array.from({ length: DEPLOYS_PER_COMPONENT }, (_, d) => {
      const finished = now - (d * 80 + (i % 70) + 1) * HOUR;
      return {
        entityRef: `component:default/${c.metadata.name}`,
        environment: 'production',
        version: `main-${String(d).padStart(7, '0')}`,
        status: (i + d) % 13 === 0 ? 'failed' : 'succeeded',
        idempotencyKey: `bench-${c.metadata.name}-${d}`,
        startedAt: new Date(finished - ((i % 12) + 2) * 60_000).toISOString(),
        finishedAt: new Date(finished).toISOString(),
      };
    }),
  );
  for (let i = 0; i < events.length; i += 1000) {
    await post('/api/platform-deploy/v1/events', {
      events: events.slice(i, i + 1000),
    });
  }
  // every database: a backup and a restore test
  const runs = databases.flatMap((db, i) => {
    const ref = `resource:default/${db.metadata.name}`;
    const backupAt = now - ((i % 30) + 1) * HOUR;
    const testAt = now - ((i % 10) + 1) * 24 * HOUR;
    return [
      {
        entityRef: ref,
        type: 'backup',
        status: 'succeeded',
        startedAt: new Date(backupAt - 600_000).toISOString(),
        finishedAt: new Date(backupAt).toISOString(),
        idempotencyKey: `bench-backup-${i}`,
        sizeBytes: 2_700_000_000,
      },
      {
        entityRef: ref,
        type: 'restore-test',
        status: 'succeeded',
        startedAt: new Date(testAt - ((i % 80) + 5) * 60_000).toISOString(),
        finishedAt: new Date(testAt).toISOString(),
        idempotencyKey: `bench-restore-${i}`,
      },
    ];
  });
  for (let i = 0; i < runs.length; i += 500) {
    await post('/api/backup-status/v1/runs', { runs: runs.slice(i, i + 500) });
  }
  console.log(`ingested ${events.length} deploys, ${runs.length} backup runs`);

  const timed = async (task: string) => {
    const t = process.hrtime.bigint();
    await scheduler.triggerTask(task);
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  const retrievers: Record<string, number> = {};
  for (const id of ['platformDeploys', 'platformBackups', 'platformCatalog']) {
    // twice: the second run is the steady state (a fact history to trim)
    await timed(id);
    retrievers[id] = await timed(id);
  }
  const evaluation = await timed('readiness-evaluation');
  const overview0 = await get('/api/readiness/v1/overview');
  if (overview0.items.length !== size) {
    throw new Error(`overview has ${overview0.items.length} of ${size}`);
  }

  // 90 days of history, as 90 daily evaluations would have left it
  const readinessDb = knexFactory({
    client: 'pg',
    connection: { ...database.connection, database: `${PREFIX}readiness` },
  });
  await readinessDb.raw(
    `insert into readiness_history (day, entity_ref, level)
     select to_char(current_date - d, 'YYYY-MM-DD'), entity_ref, level
     from readiness_entities, generate_series(1, 89) d
     on conflict do nothing`,
  );
  await readinessDb.raw('analyze readiness_history');
  await readinessDb.destroy();

  // time to the last byte of the body (decompressed), not the client's parse
  const fetchBody = async (p: string) => {
    const res = await fetch(`${base}${p}`, { headers: user });
    if (!res.ok) throw new Error(`${p}: ${res.status}`);
    return res.arrayBuffer();
  };
  const timings = async (p: (i: number) => string) => {
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = process.hrtime.bigint();
      await fetchBody(p(i));
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    samples.splice(0, 10); // warm-up
    return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
  };
  const offset = (i: number) => (i * 100) % Math.max(size, 1);
  const overview = await timings(() => '/api/readiness/v1/overview');
  const trend = await timings(() => '/api/readiness/v1/trend?days=90');
  const catalog = await timings(
    i =>
      `/api/catalog/entities/by-query?filter=kind=component&limit=100&offset=${offset(
        i,
      )}`,
  );
  const catalogAll = await timings(
    () =>
      `/api/catalog/entities/by-query?filter=kind=component&limit=${size}&fields=metadata.name,metadata.title,spec.system,spec.owner`,
  );
  await backend.stop();
  return {
    size,
    retrievers,
    evaluation,
    distribution: overview0.distribution,
    overview,
    trend,
    catalog,
    catalogAll,
  };
}

async function main() {
  const rows = [];
  for (const size of SIZES) {
    const r = await benchOne(size);
    console.log(JSON.stringify(r));
    rows.push(r);
  }
  const f = (n: number) => n.toFixed(1);
  const table = [
    '| components | fact retriever runs: deploys / backups / catalog (s) | evaluation: bulk checks, levels, store (s) | readiness overview, every entity, p50 / p95 (ms) | trend 90 days p50 / p95 (ms) | catalog by-query, 100 rows, p50 / p95 (ms) | catalog by-query, every component (4 fields), p50 / p95 (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.size} | ${f(r.retrievers.platformDeploys)} / ${f(
          r.retrievers.platformBackups,
        )} / ${f(r.retrievers.platformCatalog)} | ${f(r.evaluation)} | ${f(
          r.overview.p50,
        )} / ${f(r.overview.p95)} | ${f(r.trend.p50)} / ${f(r.trend.p95)} | ${f(
          r.catalog.p50,
        )} / ${f(r.catalog.p95)} | ${f(r.catalogAll.p50)} / ${f(
          r.catalogAll.p95,
        )} |`,
    ),
  ].join('\n');
  console.log(table);
  writeSection(
    'readiness scorecards on PostgreSQL, next to the catalog',
    `Measured by \`bench/readiness.ts\`: one backend with the real catalog (N components, N/4 databases with a backup policy, half the components depending on one), platform-deploy (8 production deploys per component over 28 days, ingested over HTTP) and backup-status (a backup and a restore test per database), tech-insights with the jsonfc checker and the portal's three fact retrievers, and the readiness plugin with the checks of app-config.yaml, on the local PostgreSQL, loopback HTTP with the test backend's mock auth. Latencies are to the last byte of the (decompressed) body, sequential requests, after 10 warm-up requests. A retriever run is its steady-state second run (read the source in bulk, store N facts, trim the fact history); the evaluation runs every check for every component through tech-insights' bulk endpoint and stores levels and the day's history. The overview answers every entity (the contract has no paging) from one query; the trend reads 90 days of history (N × 90 rows). Targets (issue 16): overview p95 ≤ 50 ms and a retriever run < 10 s at 10,000 on PostgreSQL. Run while other work shared the 2 cores.\n\n${table}\n`,
  );
}

main().then(
  // the test backend's stopped plugins may leave timers behind
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
