/*
 * The portal's three overviews at 100,000 components on PostgreSQL, next to
 * the catalog's own `by-query` on the same components, in the same backend
 * and run: the deployments overview (3 environments), the backup overview
 * (every component carries a backup policy) and what the readiness page
 * reads (its summary, and its entities a page at a time).
 *
 * How the estate is made without processing 100,000 entities (which takes
 * hours on 2 cores): the real catalog processes K template components fed
 * by an entity provider (processors, stitching, search rows, relations: its
 * own pipeline); then every table the catalog wrote for them
 * (refresh_state, final_entities, search, relations,
 * refresh_state_references) is copied in SQL N/K times, each copy with its
 * own entity id and name (`svc-000007` becomes `svc-012347` in every JSON
 * text, search value and ref). The catalog then answers for N entities that
 * are byte for byte what it would have stitched. platform-deploy's tables
 * (deploy_entities, deploy_state), backup-status' runs and readiness'
 * latest evaluations are filled the same way, in SQL. The copying lives in
 * bench/estate.ts (shared with bench/browser-pages.ts).
 *
 * The scheduler is the test backend's mock (as in bench/readiness.ts): no
 * task runs unless the bench triggers it, so neither platform-deploy's
 * catalog sync, nor the readiness evaluation, nor a tech-insights fact
 * retriever rewrites the filled tables (their schedules are also moved past
 * the run in the config, as bench/browser-pages.ts does). backup-status'
 * snapshot refresh (every minute in production, not configurable) is
 * triggered once after the SQL copy, right before the backup rows, and
 * timed: a backend restart instead would let the provider's full mutation
 * of the K templates delete the copies.
 *
 *   bash bench/run.sh platform-deploy-scale
 *   BENCH_SCALE_COMPONENTS=20000 bash bench/run.sh platform-deploy-scale
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createServiceFactory,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonfc from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import { BACKUP_POLICY_ANNOTATION } from '@platform-portal/backstage-plugin-backup-status-common';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import knexFactory from 'knex';
import yaml from 'yaml';
import backupStatusBackend from '../plugins/backup-status-backend/src';
import platformDeployBackend from '../plugins/platform-deploy-backend/src';
import readinessBackend from '../plugins/readiness-backend/src';
import techInsightsPlatform from '../plugins/tech-insights-backend-module-platform/src';
import { benchEntityProvider, BENCH_PG, freshPostgresConfig } from './backends';
import {
  cloneCatalog,
  ENVIRONMENTS,
  fillBackupRuns,
  fillDeployments,
  fillReadiness,
  templateComponents,
} from './estate';
import { quantile, writeSection } from './results';

const N = Number(process.env.BENCH_SCALE_COMPONENTS ?? 100_000);
const K = 20;
const PREFIX = 'bench_scale_';
/** The overview reads no history: one day of it (N rows), not 90 (N × 90). */
const READINESS_HISTORY_DAYS = 1;
const SNAPSHOT_TASK = 'backup-status:status-snapshot';
/** backup-status' snapshot and readiness' response cache are reused this long. */
const CACHE_TTL_S = 60;
/** The section this bench wrote before it covered the three overviews. */
const OLD_TITLE =
  'platform-deploy overview at 100,000 components, next to the catalog';
const TITLE = `overviews at ${N.toLocaleString(
  'en-US',
)} components, next to the catalog`;
const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 15 },
  initialDelay: { hours: 24 },
};
const appConfig = yaml.parse(
  fs.readFileSync(path.resolve(__dirname, '../app-config.yaml'), 'utf8'),
);

/**
 * The test backend's root logger is silent; this one is too, except that it
 * keeps backup-status' "Built the backup status snapshot" (its durationMs)
 * and prints errors and backup-status' and readiness' warnings.
 */
function benchRootLogger(builds: Array<Record<string, unknown>>) {
  const make = (labels: Record<string, unknown>): RootLoggerService => {
    const loud =
      labels.plugin === 'backup-status' || labels.plugin === 'readiness';
    return {
      error: (message, meta) =>
        console.error(`[${labels.plugin ?? 'backend'}] ${message}`, meta ?? ''),
      warn: (message, meta) => {
        if (loud) console.warn(`[${labels.plugin}] ${message}`, meta ?? '');
      },
      info: (message, meta) => {
        if (message === 'Built the backup status snapshot' && meta) {
          builds.push(meta as Record<string, unknown>);
        }
      },
      debug: () => {},
      child: meta => make({ ...labels, ...meta }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}),
  });
}

/** Replaces the old section by the new one, in its place in RESULTS.md. */
function retireOldSection() {
  const file = path.join(__dirname, 'RESULTS.md');
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const old = `## ${OLD_TITLE} (`;
  if (!text.includes(old)) return;
  const next = text.includes(`## ${TITLE} (`)
    ? text.replace(
        new RegExp(
          `## ${OLD_TITLE.replace(
            /[.*+?^${}()|[\]\\]/g,
            '\\$&',
          )} \\([\\s\\S]*?(?=\\n## |$)`,
        ),
        '',
      )
    : text.replace(old, `## ${TITLE} (`);
  fs.writeFileSync(file, next);
}

const seconds = (since: number) => (Date.now() - since) / 1000;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? mb(bytes) : `${(bytes / 1024).toFixed(0)} KB`;

/** The heap in use after a full garbage collection: what is retained. */
function retainedHeap() {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage();
}

async function main() {
  const runStarted = Date.now();
  const database = await freshPostgresConfig(PREFIX);
  const scheduler = mockServices.scheduler();
  const snapshotBuilds: Array<Record<string, unknown>> = [];
  const retrievers = Object.fromEntries(
    Object.entries(appConfig.techInsights.factRetrievers).map(([id, c]) => [
      id,
      { ...(c as object), cadence: '0 0 1 1 *', initialDelay: { hours: 24 } },
    ]),
  );
  const backend = await startTestBackend({
    features: [
      databaseServiceFactory,
      benchRootLogger(snapshotBuilds),
      // as bench/readiness.ts: tasks run only when triggered
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database },
          catalog: { processingInterval: { minutes: 60 } },
          platformDeploy: {
            environments: ENVIRONMENTS,
            catalogSync: {
              schedule: {
                frequency: { hours: 1 },
                timeout: { minutes: 5 },
                initialDelay: { hours: 1 },
              },
            },
          },
          backupStatus: {
            demo: { enabled: false },
            notifications: { schedule: LATER },
            retention: { schedule: LATER },
          },
          techInsights: {
            ...appConfig.techInsights,
            factRetrievers: retrievers,
          },
          readiness: { ...appConfig.readiness, schedule: LATER },
        },
      }),
      catalogBackend,
      benchEntityProvider(
        templateComponents(K, { [BACKUP_POLICY_ANNOTATION]: 'postgres-daily' }),
        'bench-scale-entities',
      ),
      platformDeployBackend,
      backupStatusBackend,
      techInsightsBackend,
      techInsightsJsonfc,
      techInsightsPlatform,
      readinessBackend,
    ],
  });
  const startSeconds = seconds(runStarted);
  const address = backend.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  const user = { authorization: mockCredentials.user.header() };
  const get = async (p: string) => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}${p}`, { headers: user });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    const body = await res.json();
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, body };
  };
  /** To the last byte of the (decompressed) body, no parse, as bench/readiness.ts. */
  const getBytes = async (p: string) => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}${p}`, { headers: user });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    const body = await res.arrayBuffer();
    return {
      ms: Number(process.hrtime.bigint() - t) / 1e6,
      decoded: body.byteLength,
      wire: Number(res.headers.get('content-length') ?? NaN),
      encoding: res.headers.get('content-encoding') ?? 'identity',
      body,
    };
  };
  const templatesStarted = Date.now();
  for (const start = Date.now(); ; ) {
    const { body } = await get(
      '/api/catalog/entities/by-query?filter=kind=component&limit=1',
    );
    if (body.totalItems >= K) break;
    if (Date.now() - start > 10 * 60_000) throw new Error('catalog not ready');
    await new Promise(r => setTimeout(r, 500));
  }
  const templatesSeconds = seconds(templatesStarted);
  const db = (plugin: string) =>
    knexFactory({ client: 'pg', connection: `${BENCH_PG}/${PREFIX}${plugin}` });
  const catalogDb = db('catalog');
  const deployDb = db('platform-deploy');
  const t0 = Date.now();
  await cloneCatalog(catalogDb, K, N);
  const catalogSeconds = seconds(t0);
  const t1 = Date.now();
  await fillDeployments(deployDb, K, N);
  const deploySeconds = seconds(t1);
  await catalogDb.destroy();
  await deployDb.destroy();
  const backupDb = db('backup-status');
  const t2 = Date.now();
  await fillBackupRuns(backupDb, N);
  const backupSeconds = seconds(t2);
  await backupDb.destroy();
  const readinessDb = db('readiness');
  const t3 = Date.now();
  await fillReadiness(readinessDb, N, READINESS_HISTORY_DAYS);
  const readinessSeconds = seconds(t3);
  const [{ count: readinessRows }] = await readinessDb(
    'readiness_entities',
  ).count({ count: '*' });
  await readinessDb.destroy();
  const check = await get(
    '/api/catalog/entities/by-query?filter=kind=component&limit=1',
  );
  const ours = await get('/api/platform-deploy/v1/overview?limit=1');
  console.log(
    `backend started in ${startSeconds.toFixed(
      0,
    )} s, templates processed ${templatesSeconds.toFixed(0)} s later; catalog ${
      check.body.totalItems
    } components (copied in ${catalogSeconds.toFixed(0)} s), platform-deploy ${
      ours.body.totalItems
    } (${deploySeconds.toFixed(0)} s), backup runs (${backupSeconds.toFixed(
      1,
    )} s), readiness ${readinessRows} (${readinessSeconds.toFixed(1)} s)`,
  );
  if (
    check.body.totalItems !== N ||
    ours.body.totalItems !== N ||
    Number(readinessRows) !== N
  ) {
    throw new Error('the copies do not add up');
  }

  type Timing = { p50: number; p95: number };
  const fmt = (t: Timing) => `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)}`;
  const sample = async (
    count: number,
    warmUp: number,
    request: (i: number) => Promise<number>,
  ): Promise<Timing> => {
    const samples: number[] = [];
    for (let i = 0; i < count + warmUp; i++) samples.push(await request(i));
    samples.splice(0, warmUp);
    return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
  };
  const timings = (p: (i: number) => string) =>
    sample(30, 5, async i => (await get(p(i))).ms);
  const pages = (total: number) => Math.max(1, Math.floor(total / 100));
  const offset = (i: number) => ((i * 7919) % (N / 100)) * 100;
  const d = '/api/platform-deploy/v1/overview?limit=100';
  const c = '/api/catalog/entities/by-query?filter=kind=component&limit=100';
  const measureStarted = Date.now();
  // in the order the bench has always measured them: ours, then the catalog's
  const deployUnfiltered = await timings(i => `${d}&offset=${offset(i)}`);
  const catalogUnfiltered = await timings(i => `${c}&offset=${offset(i)}`);
  const deployFiltered = await timings(() => `${d}&status=failed`);
  const catalogFiltered = await timings(
    () =>
      '/api/catalog/entities/by-query?filter=kind=component,spec.type=website&limit=100',
  );
  const deploySearch = await timings(() => `${d}&q=svc-01`);
  const catalogSearch = await timings(() => `${c}&fullTextFilterTerm=svc-01`);
  const rows = [
    ['unfiltered, page at an offset', deployUnfiltered, catalogUnfiltered],
    [
      'filtered (ours: last status failed; catalog: spec.type=website)',
      deployFiltered,
      catalogFiltered,
    ],
    [
      'search term `svc-01` (ours: q; catalog: fullTextFilterTerm)',
      deploySearch,
      catalogSearch,
    ],
  ] as const;
  const table = [
    `| ${N.toLocaleString(
      'en-US',
    )} components × 3 envs, 100-row page | platform-deploy overview p50 / p95 (ms) | catalog by-query p50 / p95 (ms) |`,
    '| --- | --- | --- |',
    ...rows.map(
      ([what, mine, catalog]) => `| ${what} | ${fmt(mine)} | ${fmt(catalog)} |`,
    ),
  ].join('\n');
  console.log(table);

  // backup-status: the plugin's own refresh of the snapshot, now that the
  // catalog has the copies and the runs are in; then its rows at once, in
  // the snapshot's TTL
  const heapBefore = retainedHeap();
  const buildStarted = Date.now();
  await scheduler.triggerTask(SNAPSHOT_TASK);
  const buildSeconds = seconds(buildStarted);
  const heapAfter = retainedHeap();
  const built = snapshotBuilds[snapshotBuilds.length - 1];
  const backupAll = await get('/api/backup-status/v1/overview?limit=1');
  const backupTotal: number = backupAll.body.totalItems;
  const byStatus: Record<string, number> = backupAll.body.summary.byStatus;
  console.log(
    `backup status snapshot: ${built?.entities} entities in ${
      built?.durationMs
    } ms (the plugin's log; ${buildSeconds.toFixed(
      1,
    )} s for the task), by status ${JSON.stringify(byStatus)}; heap ${mb(
      heapBefore.heapUsed,
    )} → ${mb(heapAfter.heapUsed)} retained, rss ${mb(heapAfter.rss)}`,
  );
  if (backupTotal !== N || built?.entities !== N) {
    throw new Error(
      `backup-status has ${backupTotal} entities (snapshot ${built?.entities}), not ${N}`,
    );
  }
  const status =
    ['critical', 'warning', 'unknown', 'ok'].find(s => byStatus[s] > 0) ??
    'critical';
  const b = '/api/backup-status/v1/overview?limit=100';
  const backupOffset = (i: number) => ((i * 7919) % pages(backupTotal)) * 100;
  const backupUnfiltered = await timings(i => `${b}&offset=${backupOffset(i)}`);
  const backupFiltered = await timings(() => `${b}&status=${status}`);
  const backupSearch = await timings(() => `${b}&q=svc-01`);
  const backupWindow = seconds(buildStarted);

  // readiness: the first request builds its response cache (one query of
  // readiness_entities, JSON, gzip), the others are served from it
  const readinessFirst = await getBytes('/api/readiness/v1/overview');
  const readinessItems = (
    JSON.parse(Buffer.from(readinessFirst.body).toString('utf8')) as {
      items: unknown[];
    }
  ).items.length;
  if (readinessItems !== N) {
    throw new Error(`the readiness overview has ${readinessItems} of ${N}`);
  }
  // what the readiness page reads: the summary, and a page of the entities
  // (filtered in memory over the cached overview)
  const readinessSummary = await timings(() => '/api/readiness/v1/summary');
  const r = '/api/readiness/v1/entities?limit=100';
  const readinessUnfiltered = await timings(i => `${r}&offset=${offset(i)}`);
  const readinessFiltered = await timings(() => `${r}&level=gold`);
  const readinessSearch = await timings(() => `${r}&q=svc-01`);
  const measureSeconds = seconds(measureStarted);
  const heapEnd = process.memoryUsage();

  const met = (mine: Timing, catalog: Timing) =>
    mine.p95 <= catalog.p95 ? 'met' : 'not met';
  const verdict = (pairs: Array<[string, Timing, Timing]>) => {
    const missed = pairs.filter(([, o, r]) => o.p95 > r.p95);
    return missed.length === 0
      ? 'met'
      : `not met (${missed
          .map(
            ([what, o, r]) =>
              `${what}: p95 ${o.p95.toFixed(1)} ms against ${r.p95.toFixed(
                1,
              )} ms`,
          )
          .join('; ')})`;
  };
  const deployVerdict = verdict([
    ['unfiltered', deployUnfiltered, catalogUnfiltered],
    ['filtered', deployFiltered, catalogFiltered],
    ['search', deploySearch, catalogSearch],
  ]);
  const backupVerdict = verdict([
    ['unfiltered', backupUnfiltered, catalogUnfiltered],
    ['filtered', backupFiltered, catalogFiltered],
    ['search', backupSearch, catalogSearch],
  ]);
  const readinessVerdict = verdict([
    ['summary', readinessSummary, catalogUnfiltered],
    ['unfiltered', readinessUnfiltered, catalogUnfiltered],
    ['filtered', readinessFiltered, catalogFiltered],
    ['search', readinessSearch, catalogSearch],
  ]);
  const body = `${size(readinessFirst.decoded)} JSON, ${
    readinessFirst.encoding === 'gzip'
      ? `${size(readinessFirst.wire)} gzipped`
      : `sent ${readinessFirst.encoding}`
  }`;
  const newRows: Array<[string, string, Timing, string, Timing]> = [
    [
      'backup overview',
      `unfiltered, page at an offset (\`${b}&offset=…\`)`,
      backupUnfiltered,
      'unfiltered, page at an offset',
      catalogUnfiltered,
    ],
    [
      'backup overview',
      `filtered \`status=${status}\` (${(byStatus[status] ?? 0).toLocaleString(
        'en-US',
      )} entities)`,
      backupFiltered,
      'spec.type=website',
      catalogFiltered,
    ],
    [
      'backup overview',
      'search `q=svc-01`',
      backupSearch,
      'fullTextFilterTerm=svc-01',
      catalogSearch,
    ],
    [
      'readiness summary',
      `the distribution, the heatmaps and the top failing checks (\`/api/readiness/v1/summary\`); the first request after the start, of the whole overview (${body}), took ${readinessFirst.ms.toFixed(
        0,
      )} ms: it builds the response cache both are served from`,
      readinessSummary,
      'unfiltered, page at an offset',
      catalogUnfiltered,
    ],
    [
      'readiness entities',
      `unfiltered, page at an offset (\`${r}&offset=…\`)`,
      readinessUnfiltered,
      'unfiltered, page at an offset',
      catalogUnfiltered,
    ],
    [
      'readiness entities',
      'filtered `level=gold` (a quarter of the entities)',
      readinessFiltered,
      'spec.type=website',
      catalogFiltered,
    ],
    [
      'readiness entities',
      'search `q=svc-01`',
      readinessSearch,
      'fullTextFilterTerm=svc-01',
      catalogSearch,
    ],
  ];
  const newTable = [
    `| ${N.toLocaleString(
      'en-US',
    )} components | request | p50 / p95 (ms) | catalog by-query (limit=100), same run | catalog p50 / p95 (ms) | p95 at or below the catalog's |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...newRows.map(
      ([what, request, mine, catalogWhat, catalog]) =>
        `| ${what} | ${request} | ${fmt(mine)} | ${catalogWhat} | ${fmt(
          catalog,
        )} | ${met(mine, catalog)} |`,
    ),
  ].join('\n');
  console.log(newTable);
  const totalSeconds = seconds(runStarted);
  console.log(
    `measured in ${measureSeconds.toFixed(
      0,
    )} s (backup rows ${backupWindow.toFixed(
      0,
    )} s after the snapshot build), heap at the end ${mb(
      heapEnd.heapUsed,
    )} of ${mb(v8.getHeapStatistics().heap_size_limit)}, rss ${mb(
      heapEnd.rss,
    )}; the whole run ${totalSeconds.toFixed(0)} s`,
  );
  // the old section was about 100,000 components: replaced by a run at as many
  if (N === 100_000) retireOldSection();
  writeSection(
    TITLE,
    `Measured by \`bench/platform-deploy-scale.ts\` on the local PostgreSQL 15: one backend with the real catalog, platform-deploy, backup-status, tech-insights (jsonfc and the portal's retrievers) and readiness, loopback HTTP with the test backend's mock auth and its mock scheduler (no task runs unless the bench triggers it), sequential requests, totals counted. The estate: the catalog processed ${K} template components itself (provider, processors, stitching; ${templatesSeconds.toFixed(
      0,
    )} s after a backend start of ${startSeconds.toFixed(
      0,
    )} s), each with a backup policy annotation (\`${BACKUP_POLICY_ANNOTATION}: postgres-daily\`); their rows in every catalog table (refresh_state, final_entities, search, relations, refresh_state_references) were then copied in SQL to ${N.toLocaleString(
      'en-US',
    )}, each copy with its own entity id and name in every JSON text, search value and ref (${catalogSeconds.toFixed(
      0,
    )} s, instead of hours of processing); platform-deploy's deploy_entities and deploy_state (3 environments, 1 in 7 failed in preview) filled in SQL (${deploySeconds.toFixed(
      0,
    )} s); backup-status' runs (a backup 2 h ago, 1 in 13 failed with the last good one 30 h ago, and a restore test 2 days ago: ${Object.entries(
      byStatus,
    )
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n.toLocaleString('en-US')} ${s}`)
      .join(', ')}) filled in SQL (${backupSeconds.toFixed(
      1,
    )} s); readiness' latest evaluations (a quarter each without a level, bronze, silver, gold) and ${READINESS_HISTORY_DAYS} day(s) of history (the overview reads none) filled in SQL (${readinessSeconds.toFixed(
      1,
    )} s). Neither the readiness evaluation nor a fact retriever nor platform-deploy's catalog sync ran (the mock scheduler; their schedules are also past the run in the config). backup-status' status snapshot (one catalog read of the ${N.toLocaleString(
      'en-US',
    )} policy-bearing entities plus one query of their runs; every minute in production) was rebuilt by triggering the plugin's own refresh task after the copy, right before the backup rows: ${
      built?.durationMs
    } ms ("Built the backup status snapshot", durationMs); the backup rows ended ${backupWindow.toFixed(
      0,
    )} s after it (the snapshot is reused ${CACHE_TTL_S} s, then rebuilt in the background on a request: ${
      backupWindow < CACHE_TTL_S
        ? 'no rebuild fell into the backup rows'
        : 'rebuilds in the background fell into the backup rows'
    }). Heap of the backend (the bench's own process) retained after a full garbage collection: ${mb(
      heapBefore.heapUsed,
    )} before that build, ${mb(heapAfter.heapUsed)} after it (rss ${mb(
      heapAfter.rss,
    )}); ${mb(heapEnd.heapUsed)} in use at the end of the run (rss ${mb(
      heapEnd.rss,
    )}, heap limit ${mb(
      v8.getHeapStatistics().heap_size_limit,
    )}). The whole run, backend start to the last request, ${totalSeconds.toFixed(
      0,
    )} s.

The deployments overview and the catalog: 30 requests per row after 5 warm-up ones (client time including the JSON parse). Target (issue 19): our 100-row pages at or below the catalog's by-query on the same data. Run while other work shared the 2 cores.

${table}

The backup overview and what the readiness page reads (its summary, and its entities a page at a time: the page has asked for them so since 2026-12-04, instead of the whole overview), 30 requests per row after 5 warm-up ones as above, each next to the catalog's by-query row of the same run above:

${newTable}

Target: p95 at or below the catalog's by-query?limit=100 p95 in the same run (each row against the catalog's row beside it). Deployments overview: ${deployVerdict}. Backup overview: ${backupVerdict}. Readiness page: ${readinessVerdict}.

Before (2026-12-03, the same bench): the status filter took 459.3 / 512.2 ms, against the catalog's 390.5 / 438.9 ms. PostgreSQL walked the name index of all 100,000 entities, with a lookup of their states for each: an \`IN\` of the failed refs under a \`LIMIT\`. Now the entities are joined to the distinct refs of the failed states, which PostgreSQL hashes: 760 ms → 106 ms for the query alone in \`EXPLAIN ANALYZE\`. The readiness page read the whole overview (every entity, 16.3 MB of JSON): 759.9 / 999.8 ms, against the catalog's 530.7 / 833.8 ms.
`,
  );
  await backend.stop();
  await freshPostgresConfig(PREFIX); // drops the run's databases
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    console.error(e);
    process.exit(1);
  });
