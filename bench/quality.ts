/*
 * Benchmark of the Quality tab's reads on the local PostgreSQL: one backend
 * with the real catalog (N components from an entity provider), the
 * community code-coverage backend with the portal's two modules,
 * image-scans and platform-deploy. 30 days of history per component: a
 * coverage report a day (8 files, 240 lines) and a Trivy scan a day of that
 * day's version (20 findings), written straight into the plugins' tables
 * with generate_series (30 N reports each way; the ingest paths are tested
 * elsewhere); one production deploy per component (the day-0 version),
 * through platform-deploy's ingest API. It measures p50/p95 of what the
 * entity page asks (the latest coverage, its history of 60, the scans per
 * environment) next to the catalog's `by-query?limit=100` in the same run,
 * and one run of each backend's bulk facts endpoint.
 *
 *   bash bench/run.sh quality              # BENCH_SIZES=1000 by default
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import codeCoverageBackend from '@backstage-community/plugin-code-coverage-backend';
import catalogBackend from '@backstage/plugin-catalog-backend';
import knexFactory from 'knex';
import codeCoverageModulePlatform from '../plugins/code-coverage-backend-module-platform/src';
import imageScansBackend from '../plugins/image-scans-backend/src';
import platformDeployBackend from '../plugins/platform-deploy-backend/src';
import { benchEntityProvider, freshPostgresConfig } from './backends';
import { quantile, writeSection } from './results';

const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : [1000];
const DAYS = 30;
const PREFIX = 'bench_quality_';

const name = (i: number) => `svc-${String(i).padStart(5, '0')}`;

function estate(size: number): Entity[] {
  return Array.from({ length: size }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: name(i),
      annotations: {
        'backstage.io/managed-by-location': 'bench:generated',
        'backstage.io/managed-by-origin-location': 'bench:generated',
        'platform-portal.dev/environments': 'staging,production',
        ...(i % 2
          ? { 'platform-portal.dev/critical-paths': 'src/auth/**' }
          : {}),
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/team-${i % 20}`,
    },
  }));
}

/** One report as the community backend stores it (8 files of 30 lines). */
function coverageJson() {
  const files = [
    'src/main.ts',
    'src/auth/guard.ts',
    'src/auth/jwt.ts',
    'src/api/controller.ts',
    'src/api/service.ts',
    'src/db/repository.ts',
    'src/db/migrations.ts',
    'src/util/format.ts',
  ].map((filename, f) => ({
    filename,
    lineHits: Object.fromEntries(
      Array.from({ length: 30 }, (_, l) => [l + 1, (l + f) % 5 ? 1 : 0]),
    ),
    branchHits: Object.fromEntries(
      Array.from({ length: 3 }, (_, b) => [
        (b + 1) * 10,
        { covered: 1, missed: 1, available: 2 },
      ]),
    ),
  }));
  return {
    metadata: { vcs: { type: 'unknown', location: 'unknown' } },
    entity: { name: '__NAME__', namespace: 'default', kind: 'Component' },
    files,
  };
}

async function benchOne(size: number) {
  const entities = estate(size);
  const database = await freshPostgresConfig(PREFIX);
  const backend = await startTestBackend({
    features: [
      databaseServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: { database },
          catalog: {
            processingInterval: { minutes: 30 },
            rules: [{ allow: ['Component'] }],
          },
          platformDeploy: {
            environments: ['staging', 'production'],
            healthProbe: { enabled: false },
            ingest: { eventsPerMinute: 100_000_000 },
          },
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
      imageScansBackend,
      codeCoverageBackend,
      codeCoverageModulePlatform,
    ],
  });
  const address = backend.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  const user = { authorization: mockCredentials.user.header() };
  const service = { authorization: mockCredentials.service.header() };
  const get = async (p: string, headers = user) => {
    const res = await fetch(`${base}${p}`, { headers });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json();
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

  // production runs the day-0 version of every component
  const now = Date.now();
  const events = entities.map(e => ({
    entityRef: `component:default/${e.metadata.name}`,
    environment: 'production',
    version: 'day-00',
    status: 'succeeded',
    idempotencyKey: `bench-${e.metadata.name}`,
    finishedAt: new Date(now - 3_600_000).toISOString(),
  }));
  for (let i = 0; i < events.length; i += 1000) {
    const res = await fetch(`${base}/api/platform-deploy/v1/events`, {
      method: 'POST',
      headers: { ...service, 'content-type': 'application/json' },
      body: JSON.stringify({ events: events.slice(i, i + 1000) }),
    });
    if (!res.ok) throw new Error(`deploys: ${res.status} ${await res.text()}`);
  }

  // 30 days of coverage and scans, in SQL
  const seedStart = Date.now();
  const pluginDb = (pluginId: string) =>
    knexFactory({
      client: 'pg',
      connection: { ...database.connection, database: `${PREFIX}${pluginId}` },
    });
  const coverageDb = pluginDb('code-coverage');
  const json = JSON.stringify(coverageJson());
  const [before, after] = json.split('__NAME__');
  await coverageDb.raw(
    `insert into code_coverage (id, entity, coverage, created_at)
     select gen_random_uuid(),
            'component:default/svc-' || lpad(i::text, 5, '0'),
            ? || 'svc-' || lpad(i::text, 5, '0') || ? ,
            now() - d * interval '1 day'
     from generate_series(0, ? - 1) i, generate_series(? - 1, 0, -1) d`,
    [before, after, size, DAYS],
  );
  // generationTime: the day of each row
  await coverageDb.raw(
    `update code_coverage set coverage = jsonb_set(coverage::jsonb,
       '{metadata,generationTime}',
       to_jsonb((extract(epoch from created_at) * 1000)::bigint))::text`,
  );
  await coverageDb.raw('analyze code_coverage');
  const scansDb = pluginDb('image-scans');
  await scansDb.raw(
    `insert into image_scan_reports
       (entity_ref, version, image_digest, content_sha256, artifact_name, source, received_at)
     select 'component:default/svc-' || lpad(i::text, 5, '0'),
            'day-' || lpad(d::text, 2, '0'),
            'sha256:' || md5(i::text || '-' || d::text) || md5(d::text),
            md5(i::text || d::text), 'bench', 'http:bench',
            now() - d * interval '1 day'
     from generate_series(0, ? - 1) i, generate_series(0, ? - 1) d`,
    [size, DAYS],
  );
  await scansDb.raw(
    `insert into image_scan_findings
       (report_id, entity_ref, vulnerability_id, pkg_name, installed_version,
        fixed_version, severity, target, title)
     select r.id, r.entity_ref, 'CVE-2026-' || lpad(f::text, 4, '0'),
            'pkg-' || f, '1.0.' || f, '1.1.' || f,
            (array['CRITICAL','HIGH','MEDIUM','LOW','UNKNOWN'])[1 + f % 5],
            'image (debian 12.5)', 'bench finding ' || f
     from image_scan_reports r, generate_series(1, 20) f`,
  );
  await scansDb.raw('analyze image_scan_reports');
  await scansDb.raw('analyze image_scan_findings');
  await coverageDb.destroy();
  await scansDb.destroy();
  const seedSeconds = (Date.now() - seedStart) / 1000;
  console.log(`seeded ${size * DAYS} reports each way in ${seedSeconds} s`);

  const fetchBody = async (p: string, headers = user) => {
    const res = await fetch(`${base}${p}`, { headers });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
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
  const ref = (i: number) => `component:default/${name((i * 37) % size)}`;
  const report = await timings(
    i => `/api/code-coverage/report?entity=${ref(i)}`,
  );
  const history = await timings(
    i => `/api/code-coverage/history?entity=${ref(i)}&limit=60`,
  );
  const scans = await timings(
    i =>
      `/api/image-scans/v1/entities/component/default/${name((i * 37) % size)}`,
  );
  const catalog = await timings(
    i =>
      `/api/catalog/entities/by-query?filter=kind=component&limit=100&offset=${
        (i * 100) % size
      }`,
  );
  const once = async (p: string) => {
    const t = process.hrtime.bigint();
    const body = await get(p, service);
    return {
      ms: Number(process.hrtime.bigint() - t) / 1e6,
      items: body.items.length,
    };
  };
  const coverageFacts = await once(
    '/api/code-coverage/platform/v1/entity-facts',
  );
  const scanFacts = await once('/api/image-scans/v1/entity-facts');
  const check = await get(
    `/api/image-scans/v1/entities/component/default/${name(1)}`,
  );
  const production = check.environments.find(
    (e: { environment: string }) => e.environment === 'production',
  );
  if (!production?.scanned || production.findings.length !== 20) {
    throw new Error(
      `the scans answer is not the seeded one: ${JSON.stringify(production)}`,
    );
  }
  await backend.stop();
  return {
    size,
    seedSeconds,
    report,
    history,
    scans,
    catalog,
    coverageFacts,
    scanFacts,
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
  const pair = (t: { p50: number; p95: number }) => `${f(t.p50)} / ${f(t.p95)}`;
  const table = [
    '| components × days | coverage report p50 / p95 (ms) | coverage history, 60, p50 / p95 (ms) | image scans per environment p50 / p95 (ms) | catalog by-query, 100 rows, p50 / p95 (ms) | coverage facts, every entity (ms) | scan facts, every entity (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.size} × ${DAYS} | ${pair(r.report)} | ${pair(
          r.history,
        )} | ${pair(r.scans)} | ${pair(r.catalog)} | ${f(
          r.coverageFacts.ms,
        )} (${r.coverageFacts.items}) | ${f(r.scanFacts.ms)} (${
          r.scanFacts.items
        }) |`,
    ),
  ].join('\n');
  console.log(table);
  writeSection(
    'quality tab reads on PostgreSQL, next to the catalog',
    `Measured by \`bench/quality.ts\`: one backend with the real catalog (N components, half with critical paths), the community code-coverage backend with the portal's ingest-scope and quality modules, image-scans and platform-deploy (one production deploy per component, over HTTP), on the local PostgreSQL, loopback HTTP with the test backend's mock auth. History written with generate_series: per component ${DAYS} coverage reports (8 files, 240 lines, one a day) and ${DAYS} scans (one version a day, 20 findings each: ${DAYS} N reports, ${
      DAYS * 20
    } N findings). Latencies are to the last byte of the body, sequential requests over different components, after 10 warm-up requests: what the Quality tab asks (the latest report, the history of 60, the scans per environment, which also asks platform-deploy for the live versions) next to the catalog's page of 100. The facts endpoints are one run each (what the platformQuality retriever reads per run). Target (issue 17): entity page queries p95 ≤ 50 ms. Run while other work shared the 2 cores.\n\n${table}\n`,
  );
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
