/*
 * The deployments overview at 100,000 components × 3 environments on
 * PostgreSQL, next to the catalog's own `by-query` on the same components,
 * in the same backend and run.
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
 * (deploy_entities, deploy_state) are filled the same way, in SQL. The
 * copying lives in bench/estate.ts (shared with bench/browser-pages.ts).
 *
 *   bash bench/run.sh platform-deploy-scale
 *   BENCH_SCALE_COMPONENTS=20000 bash bench/run.sh platform-deploy-scale
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import knexFactory from 'knex';
import platformDeployBackend from '../plugins/platform-deploy-backend/src';
import { benchEntityProvider } from './backends';
import {
  cloneCatalog,
  ENVIRONMENTS,
  fillDeployments,
  templateComponents,
} from './estate';
import { quantile, writeSection } from './results';

const N = Number(process.env.BENCH_SCALE_COMPONENTS ?? 100_000);
const K = 20;
const PG = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const PREFIX = 'bench_scale_';

async function main() {
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  for (const plugin of ['catalog', 'platform-deploy']) {
    await admin.raw(
      `DROP DATABASE IF EXISTS "${PREFIX}${plugin}" WITH (FORCE)`,
    );
  }
  await admin.destroy();
  const url = new URL(PG);
  const backend = await startTestBackend({
    features: [
      databaseServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: {
              client: 'pg',
              prefix: PREFIX,
              connection: {
                host: url.hostname,
                port: Number(url.port || 5432),
                user: decodeURIComponent(url.username || 'postgres'),
                password: decodeURIComponent(url.password),
              },
            },
          },
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
        },
      }),
      catalogBackend,
      benchEntityProvider(templateComponents(K), 'bench-scale-entities'),
      platformDeployBackend,
    ],
  });
  const address = backend.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;
  const user = { authorization: mockCredentials.user.header() };
  const get = async (path: string) => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}${path}`, { headers: user });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const body = await res.json();
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, body };
  };
  for (const start = Date.now(); ; ) {
    const { body } = await get(
      '/api/catalog/entities/by-query?filter=kind=component&limit=1',
    );
    if (body.totalItems >= K) break;
    if (Date.now() - start > 10 * 60_000) throw new Error('catalog not ready');
    await new Promise(r => setTimeout(r, 500));
  }
  const catalogDb = knexFactory({
    client: 'pg',
    connection: `${PG}/${PREFIX}catalog`,
  });
  const deployDb = knexFactory({
    client: 'pg',
    connection: `${PG}/${PREFIX}platform-deploy`,
  });
  const t0 = Date.now();
  await cloneCatalog(catalogDb, K, N);
  const catalogSeconds = (Date.now() - t0) / 1000;
  const t1 = Date.now();
  await fillDeployments(deployDb, K, N);
  const deploySeconds = (Date.now() - t1) / 1000;
  await catalogDb.destroy();
  await deployDb.destroy();
  const check = await get(
    '/api/catalog/entities/by-query?filter=kind=component&limit=1',
  );
  const ours = await get('/api/platform-deploy/v1/overview?limit=1');
  console.log(
    `catalog ${
      check.body.totalItems
    } components (copied in ${catalogSeconds.toFixed(0)} s), platform-deploy ${
      ours.body.totalItems
    } (${deploySeconds.toFixed(0)} s)`,
  );
  if (check.body.totalItems !== N || ours.body.totalItems !== N) {
    throw new Error('the copies do not add up');
  }

  const timings = async (path: (i: number) => string) => {
    const samples: number[] = [];
    for (let i = 0; i < 35; i++) samples.push((await get(path(i))).ms);
    samples.splice(0, 5); // warm-up
    return `${quantile(samples, 0.5).toFixed(1)} / ${quantile(
      samples,
      0.95,
    ).toFixed(1)}`;
  };
  const offset = (i: number) => ((i * 7919) % (N / 100)) * 100;
  const d = '/api/platform-deploy/v1/overview?limit=100';
  const c = '/api/catalog/entities/by-query?filter=kind=component&limit=100';
  const rows = [
    [
      'unfiltered, page at an offset',
      await timings(i => `${d}&offset=${offset(i)}`),
      await timings(i => `${c}&offset=${offset(i)}`),
    ],
    [
      'filtered (ours: last status failed; catalog: spec.type=website)',
      await timings(() => `${d}&status=failed`),
      await timings(
        () =>
          '/api/catalog/entities/by-query?filter=kind=component,spec.type=website&limit=100',
      ),
    ],
    [
      'search term `svc-01` (ours: q; catalog: fullTextFilterTerm)',
      await timings(() => `${d}&q=svc-01`),
      await timings(() => `${c}&fullTextFilterTerm=svc-01`),
    ],
  ];
  const table = [
    `| ${N.toLocaleString(
      'en-US',
    )} components × 3 envs, 100-row page | platform-deploy overview p50 / p95 (ms) | catalog by-query p50 / p95 (ms) |`,
    '| --- | --- | --- |',
    ...rows.map(r => `| ${r.join(' | ')} |`),
  ].join('\n');
  console.log(table);
  writeSection(
    'platform-deploy overview at 100,000 components, next to the catalog',
    `Measured by \`bench/platform-deploy-scale.ts\` on the local PostgreSQL 15: one backend with the real catalog and platform-deploy, loopback HTTP with the test backend's mock auth, 30 sequential requests per row after 5 warm-up ones, totals counted by both. The estate: the catalog processed ${K} template components itself (provider, processors, stitching); their rows in every catalog table (refresh_state, final_entities, search, relations, refresh_state_references) were then copied in SQL to ${N.toLocaleString(
      'en-US',
    )}, each copy with its own entity id and name in every JSON text, search value and ref (${catalogSeconds.toFixed(
      0,
    )} s, instead of hours of processing); platform-deploy's deploy_entities and deploy_state (3 environments, 1 in 7 failed in preview) filled in SQL (${deploySeconds.toFixed(
      0,
    )} s). Target (issue 19): our 100-row pages at or below the catalog's by-query on the same data. Run while other work shared the 2 cores.\n\n${table}\n`,
  );
  await backend.stop();
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    console.error(e);
    process.exit(1);
  });
