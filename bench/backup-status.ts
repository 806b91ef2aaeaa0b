/*
 * Benchmark of backup-status: the status engine for 10,000 entities × 30 days
 * of runs (target under 1 s), and the overview (100-row page) at 39, 1,000
 * and 10,000 policy-bearing entities on SQLite and PostgreSQL (target p95 ≤
 * 50 ms at 10,000 on PostgreSQL), through the service the router calls.
 *
 *   bash bench/run.sh backup-status
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  BackupRun,
  computeBackupStatus,
} from '@platform-portal/backstage-plugin-backup-status-common';
import knexFactory, { Knex } from 'knex';
import { DatabaseBackupStore } from '../plugins/backup-status-backend/src/database/DatabaseBackupStore';
import { readBackupStatusConfig } from '../plugins/backup-status-backend/src/config';
import { createBackupStatusService } from '../plugins/backup-status-backend/src/service/createBackupStatusService';
import { quantile, writeSection } from './results';

const PG = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map(Number)
  : [39, 1000, 10000];
const DAY = 86_400_000;
const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
} as any;
const NOW = new Date();

function runsFor(entityRef: string, i: number): BackupRun[] {
  const runs: BackupRun[] = [];
  for (let d = 0; d < 30; d++) {
    const finished = new Date(NOW.getTime() - d * DAY - 2 * 3_600_000);
    runs.push({
      entityRef,
      type: 'backup',
      status: (i + d) % 17 === 0 ? 'failed' : 'succeeded',
      startedAt: new Date(finished.getTime() - 300_000).toISOString(),
      finishedAt: finished.toISOString(),
      idempotencyKey: `bench:${entityRef}:${d}`,
      sizeBytes: 1_000_000 + d,
      tool: 'pg_dump',
    });
  }
  return runs;
}

function entities(size: number) {
  return Array.from({ length: size }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `db-${String(i).padStart(5, '0')}`,
      namespace: 'default',
      annotations: { 'platform-portal.dev/backup-policy': 'postgres-daily' },
    },
    spec: { type: 'database', owner: `team-${i % 20}` },
  }));
}

async function openDatabase(kind: 'sqlite' | 'postgres'): Promise<Knex> {
  if (kind === 'sqlite') {
    return knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  }
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  await admin.raw('DROP DATABASE IF EXISTS bench_backup_status WITH (FORCE)');
  await admin.raw('CREATE DATABASE bench_backup_status');
  await admin.destroy();
  return knexFactory({
    client: 'pg',
    connection: `${PG}/bench_backup_status`,
    pool: { min: 1, max: 5 },
  });
}

async function benchOverview(kind: 'sqlite' | 'postgres', size: number) {
  const knex = await openDatabase(kind);
  const store = await DatabaseBackupStore.create({
    database: { getClient: async () => knex } as any,
  });
  const list = entities(size);
  const runs = list.flatMap((e, i) =>
    runsFor(`resource:default/${e.metadata.name}`, i),
  );
  for (let i = 0; i < runs.length; i += 5000) {
    await store.insertRuns(runs.slice(i, i + 5000), {
      source: 'bench',
      onConflict: 'refuse',
    });
  }
  const start = () =>
    createBackupStatusService({
      store,
      catalog: catalogServiceMock({ entities: list }),
      auth: mockServices.auth(),
      logger: silent,
      policies: readBackupStatusConfig(new ConfigReader({})).policies,
      now: () => NOW,
    });
  const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
  const firstPage = { limit: 100, offset: 0 };

  // before: nothing built at start, the first request builds the snapshot
  const unwarmed = start();
  let t = process.hrtime.bigint();
  await unwarmed.getOverview(firstPage);
  const coldMs = ms(t);

  // after: the start builds it (StatusSnapshotRefresh's warm-up, before the
  // backend reports ready), the first request is served from it
  const service = start();
  t = process.hrtime.bigint();
  await service.refreshSnapshot();
  const warmUpMs = ms(t);
  t = process.hrtime.bigint();
  await service.getOverview(firstPage);
  const warmFirstMs = ms(t);

  const samples: number[] = [];
  for (let i = 0; i < 25; i++) {
    t = process.hrtime.bigint();
    await service.getOverview({ limit: 100, offset: (i * 100) % size });
    samples.push(ms(t));
  }
  samples.splice(0, 5);
  await knex.destroy();
  return {
    coldMs,
    warmUpMs,
    warmFirstMs,
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
  };
}

async function main() {
  // the pure status engine: 10,000 entities × 30 days of runs
  const policy = readBackupStatusConfig(new ConfigReader({})).policies.get(
    'postgres-daily',
  )!;
  const all = Array.from({ length: 10_000 }, (_, i) =>
    runsFor(`resource:default/db-${i}`, i),
  );
  const t = process.hrtime.bigint();
  for (const runs of all) computeBackupStatus(policy, runs, NOW);
  const engineMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ engineMs }));

  const rows = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    for (const size of SIZES) {
      const r = await benchOverview(kind, size);
      console.log(JSON.stringify({ kind, size, ...r }));
      rows.push({ kind, size, ...r });
    }
  }
  const table = [
    '| database | entities (× 30 daily runs) | first request after start, without a warm-up: builds the snapshot (ms) | overview, 100-row page, p50 / p95 (ms) |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.kind} | ${r.size} | ${r.coldMs.toFixed(0)} | ${r.p50.toFixed(
          2,
        )} / ${r.p95.toFixed(2)} |`,
    ),
  ].join('\n');
  console.log(table);
  const firstRequest = [
    '| database | entities (× 30 daily runs) | before: first request builds the snapshot (ms) | after: warm-up at start, off the request path (ms) | after: first request, from the warm snapshot (ms) |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      r =>
        `| ${r.kind} | ${r.size} | ${r.coldMs.toFixed(
          0,
        )} | ${r.warmUpMs.toFixed(0)} | ${r.warmFirstMs.toFixed(2)} |`,
    ),
  ].join('\n');
  console.log(firstRequest);
  writeSection(
    'backup-status first request after start, before and after the warm-up',
    `Measured by \`bench/backup-status.ts\` in the same run as the section above, at the service boundary the router calls (catalog an in-memory mock of N entities). Before: nothing is built at start, the first \`GET /v1/overview\` builds the status snapshot (one catalog call, one query of the runs, the engine for every entity). After: \`StatusSnapshotRefresh\` builds it in the plugin's startup hook (the backend reports ready after it) and every minute; the first request reads the warm snapshot. Target: the first request after start under 1 s at 10,000 entities.\n\n${firstRequest}\n`,
  );
  writeSection(
    'backup-status status engine and overview',
    `Measured by \`bench/backup-status.ts\` at the service boundary the router calls (the catalog is an in-memory mock of N entities; HTTP and auth add a constant). Targets (issue 4): status of 10,000 entities × 30 days under 1 s; overview p95 ≤ 50 ms at 10,000 on PostgreSQL.\n\nStatus engine, 10,000 entities × 30 daily runs: **${engineMs.toFixed(
      0,
    )} ms**.\n\n${table}\n`,
  );
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    console.error(e);
    process.exit(1);
  });
