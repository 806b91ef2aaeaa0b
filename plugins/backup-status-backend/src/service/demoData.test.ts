import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { computeBackupStatus } from '@platform-portal/backstage-plugin-backup-status-common';
import { DatabaseBackupStore } from '../database/DatabaseBackupStore';
import { readBackupStatusConfig } from '../config';
import { createBackupStatusService } from './createBackupStatusService';
import { feedDemoData, generateDemoRuns } from './demoData';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-23T12:00:00.000Z');

function entity(kind: string, name: string, policy: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'platform-portal.dev/backup-policy': policy },
    },
    spec: { owner: 'team-platform' },
  };
}

const estate = [
  entity('Component', 'postgres', 'postgres-daily'),
  entity('Component', 'redis', 'redis-daily'),
  entity('Resource', 'docker-volumes', 'volumes-daily'),
  entity('Resource', 'gitops-repo', 'config-daily'),
  ...['chat', 'memoro', 'quote', 'wisekeep', 'nutriphi'].map(n =>
    entity('Resource', `${n}-db`, 'postgres-daily'),
  ),
];

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function setup() {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseBackupStore.create({
    database: { getClient: async () => knex },
  });
  const service = createBackupStatusService({
    store,
    catalog: catalogServiceMock({ entities: estate }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    policies: readBackupStatusConfig(new ConfigReader({})).policies,
    now: () => NOW,
  });
  return { store, service };
}

describe('demo data', () => {
  it('generates runs that show every status, all marked demo', async () => {
    const { service } = await setup();
    const entities = await service.listPolicyEntities();
    const runs = generateDemoRuns(entities, NOW);
    expect(runs.every(r => r.tool === 'demo')).toBe(true);
    expect(new Set(runs.map(r => r.idempotencyKey)).size).toBe(runs.length);
    expect(runs.every(r => Date.parse(r.finishedAt) <= NOW.getTime())).toBe(
      true,
    );

    const statusOf = (ref: string) => {
      const e = entities.find(x => x.entityRef === ref)!;
      return computeBackupStatus(
        e.policy,
        runs.filter(r => r.entityRef === ref),
        NOW,
      );
    };
    const codes = (ref: string) => statusOf(ref).reasons.map(r => r.code);

    expect(statusOf('component:default/postgres').status).toBe('ok');
    expect(codes('resource:default/chat-db')).toEqual(['missing_days']);
    expect(statusOf('resource:default/memoro-db').status).toBe('critical');
    expect(codes('resource:default/memoro-db')).toContain(
      'restore_test_failed',
    );
    expect(statusOf('resource:default/nutriphi-db').status).toBe('critical');
    expect(codes('resource:default/nutriphi-db')).toEqual([
      'rpo_breached',
      'last_run_failed',
      'missing_days',
    ]);
    expect(codes('component:default/redis')).toEqual(['retention_short']);
    expect(codes('resource:default/docker-volumes')).toEqual([
      'restore_over_rto',
    ]);
    expect(codes('resource:default/quote-db')).toEqual(['size_anomaly']);
    expect(statusOf('resource:default/quote-db').status).toBe('warning');
    expect(statusOf('resource:default/wisekeep-db').status).toBe('unknown');
  });

  it('feeds through the ingest service once; a second feed stores nothing', async () => {
    const { store, service } = await setup();
    const logger = mockServices.logger.mock();
    const first = await feedDemoData({ service, store, logger, now: NOW });
    expect(first.stored).toBeGreaterThan(200);
    const second = await feedDemoData({ service, store, logger, now: NOW });
    expect(second.stored).toBe(0);
    expect(await store.countRuns()).toBe(first.stored);

    const overview = await service.getOverview({ limit: 100, offset: 0 });
    expect(overview.summary.byStatus).toEqual({
      ok: 2,
      warning: 4,
      critical: 2,
      unknown: 1,
    });
    const withRuns = overview.items.filter(i => i.backup.status !== 'unknown');
    expect(withRuns).toHaveLength(8);
    expect(withRuns.every(i => i.backup.demo)).toBe(true);
  });

  it('feeds a day later: the history it generates moved with the clock, what was fed first stays', async () => {
    const { store, service } = await setup();
    const logger = mockServices.logger.mock();
    const first = await feedDemoData({ service, store, logger, now: NOW });
    const tomorrow = new Date(NOW.getTime() + 24 * 3600 * 1000);
    // the same keys come back with other sizes and times: not a conflict
    // that stops the feed (the demo's source keeps the first)
    const next = await feedDemoData({ service, store, logger, now: tomorrow });
    expect(next.stored).toBeGreaterThan(0);
    expect(await store.countRuns()).toBe(first.stored + next.stored);
  });

  it('does not feed when real runs exist', async () => {
    const { store, service } = await setup();
    await store.insertRuns(
      [
        {
          entityRef: 'component:default/postgres',
          type: 'backup',
          status: 'succeeded',
          startedAt: '2026-11-23T02:00:00.000Z',
          finishedAt: '2026-11-23T02:05:00.000Z',
          idempotencyKey: 'real-1',
          tool: 'pg_dump',
        },
      ],
      { source: 'http:backup-jobs', onConflict: 'refuse' },
    );
    const result = await feedDemoData({
      service,
      store,
      logger: mockServices.logger.mock(),
      now: NOW,
    });
    expect(result.stored).toBe(0);
    expect(await store.countRuns()).toBe(1);
  });
});
