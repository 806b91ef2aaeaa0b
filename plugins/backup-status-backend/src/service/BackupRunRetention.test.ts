/*
 * Retention of backup runs against the real store on SQLite and PostgreSQL:
 * what goes, what stays, and that the status the overview computes is the
 * same before and after.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { RunReport } from '@platform-portal/backstage-plugin-backup-status-common';
import { readBackupStatusConfig } from '../config';
import { DatabaseBackupStore } from '../database/DatabaseBackupStore';
import { BackupRunRetention, RETENTION_TASK_ID } from './BackupRunRetention';
import { createBackupStatusService } from './createBackupStatusService';

jest.setTimeout(60_000);

const NOW = new Date('2026-12-01T12:00:00.000Z');
const DAY = 24 * 3600 * 1000;

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'platform-portal.dev/backup-policy': 'postgres-daily' },
  },
  spec: { type: 'database', owner: 'team-chat' },
});

/** A run that finished `daysAgo` days before NOW. */
const run = (
  name: string,
  daysAgo: number,
  overrides: Partial<RunReport> = {},
): RunReport => ({
  entityRef: `resource:default/${name}`,
  type: 'backup',
  status: 'succeeded',
  startedAt: new Date(NOW.getTime() - daysAgo * DAY - 600_000).toISOString(),
  finishedAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
  idempotencyKey: `${name}-${overrides.type ?? 'backup'}-${daysAgo}`,
  ...overrides,
});

describe.each(databases.eachSupportedId())('backup run retention (%s)', id => {
  it('deletes runs past retention and keeps what the status needs: its result is unchanged', async () => {
    const knex = await databases.init(id);
    const store = await DatabaseBackupStore.create({
      database: { getClient: async () => knex },
    });
    const service = createBackupStatusService({
      store,
      catalog: catalogServiceMock({
        entities: [entity('chat-db'), entity('old-db')],
      }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      policies: readBackupStatusConfig(new ConfigReader({})).policies,
      now: () => NOW,
      snapshotTtlMs: 0,
    });
    await service.ingestRuns(
      [
        // chat-db: nightly backups for 60 days, a restore test 50 days ago
        ...Array.from({ length: 60 }, (_, d) => run('chat-db', d + 1)),
        run('chat-db', 50, { type: 'restore-test' }),
        // old-db: its last good backup and restore test are 100 days old
        run('old-db', 120),
        run('old-db', 100),
        run('old-db', 101, { type: 'restore-test' }),
        run('old-db', 99, { status: 'failed' }),
      ],
      { source: 'http:backup-jobs' },
    );
    const statuses = async () =>
      (await service.getOverview({ limit: 10, offset: 0 }, { fresh: true }))
        .items;
    const before = await statuses();

    const info = jest.fn();
    const retention = new BackupRunRetention({
      store,
      logger: mockServices.logger.mock({ info }),
      days: 45,
      now: () => NOW,
    });
    const result = await retention.run();
    // chat-db: 15 nightly backups older than 45 days (days 46..60) go, the
    // restore test (its only one) stays; old-db: the backup 120 days ago goes
    expect(result).toEqual({
      deleted: 16,
      before: new Date(NOW.getTime() - 45 * DAY),
    });
    expect(info).toHaveBeenCalledWith(
      'Deleted backup runs past retention',
      expect.objectContaining({ deleted: 16, days: 45 }),
    );
    const page = (name: string) =>
      store.listEntityRuns({
        entityRef: `resource:default/${name}`,
        limit: 100,
        offset: 0,
      });
    expect((await page('chat-db')).totalRuns).toBe(46);
    expect((await page('old-db')).runs.map(r => r.idempotencyKey)).toEqual([
      'old-db-backup-99',
      'old-db-backup-100',
      'old-db-restore-test-101',
    ]);
    // what the overview shows is what it showed before
    expect(await statuses()).toEqual(before);
    expect(
      before.find(i => i.entityRef === 'resource:default/old-db')?.backup,
    ).toMatchObject({ status: 'critical', ageHours: 2400 });
  });
});

describe('BackupRunRetention.schedule', () => {
  it('schedules one global task on the given schedule', async () => {
    const scheduleTask = jest.fn(async () => {});
    const scheduler = mockServices.scheduler.mock({ scheduleTask });
    await new BackupRunRetention({
      store: {} as DatabaseBackupStore,
      logger: mockServices.logger.mock(),
      days: 365,
    }).schedule(scheduler, {
      frequency: { hours: 24 },
      timeout: { minutes: 30 },
    });
    expect(scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: RETENTION_TASK_ID,
        scope: 'global',
        frequency: { hours: 24 },
        timeout: { minutes: 30 },
      }),
    );
  });
});
