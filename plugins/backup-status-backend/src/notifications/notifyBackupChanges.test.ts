import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseBackupStore } from '../database/DatabaseBackupStore';
import { readBackupStatusConfig } from '../config';
import { createBackupStatusService } from '../service/createBackupStatusService';
import { notifyBackupChanges } from './notifyBackupChanges';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const HOUR = 3_600_000;

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'chat-db',
    namespace: 'default',
    annotations: { 'platform-portal.dev/backup-policy': 'postgres-daily' },
  },
  spec: { type: 'database', owner: 'team-chat' },
};

describe.each(databases.eachSupportedId())('notifyBackupChanges on %p', id => {
  it('notifies the owning group once per critical incident and once on recovery', async () => {
    const knex = await databases.init(id);
    const store = await DatabaseBackupStore.create({
      database: { getClient: async () => knex },
    });
    let clock = new Date('2026-11-20T12:00:00Z');
    const service = createBackupStatusService({
      store,
      catalog: catalogServiceMock({ entities: [entity] }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      policies: readBackupStatusConfig(new ConfigReader({})).policies,
      now: () => clock,
    });
    const sent: any[] = [];
    const notify = () =>
      notifyBackupChanges({
        service,
        store,
        notifications: { send: async (n: any) => void sent.push(n) },
        logger: mockServices.logger.mock(),
        now: clock,
      });
    const backup = (at: Date, status: 'succeeded' | 'failed', key: string) =>
      service.ingestRuns([
        {
          entityRef: 'resource:default/chat-db',
          type: 'backup',
          status,
          startedAt: new Date(at.getTime() - 60_000).toISOString(),
          finishedAt: at.toISOString(),
          idempotencyKey: key,
        },
      ]);

    // the last good backup is 40 h old and last night's failed: critical
    await backup(new Date(clock.getTime() - 40 * HOUR), 'succeeded', 'n-1');
    await backup(new Date(clock.getTime() - 10 * HOUR), 'failed', 'n-2');
    expect(await notify()).toBe(1);
    expect(sent[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: 'group:default/team-chat' },
      payload: {
        title: 'Backups of chat-db are critical',
        severity: 'high',
        link: '/catalog/default/resource/chat-db/backups',
      },
    });
    // the next scans while it stays critical: nothing
    expect(await notify()).toBe(0);
    clock = new Date(clock.getTime() + HOUR);
    expect(await notify()).toBe(0);

    // a good backup and a restore test: no longer critical (the 30-day
    // series still has gaps), one recovery message
    await backup(new Date(clock.getTime() - HOUR), 'succeeded', 'n-3');
    await service.ingestRuns([
      {
        entityRef: 'resource:default/chat-db',
        type: 'restore-test',
        status: 'succeeded',
        startedAt: new Date(clock.getTime() - 50 * 60_000).toISOString(),
        finishedAt: new Date(clock.getTime() - 30 * 60_000).toISOString(),
        idempotencyKey: 'rt-1',
      },
    ]);
    const details = await service.getEntityDetails(
      'resource:default/chat-db',
      { limit: 10, offset: 0 },
      { credentials: await mockServices.auth().getOwnServiceCredentials() },
    );
    expect(details.backup.status).toBe('warning');
    expect(await notify()).toBe(1);
    expect(sent[1].payload).toMatchObject({
      title: 'Backups of chat-db are no longer critical',
      severity: 'normal',
    });
    expect(await notify()).toBe(0);
    expect(sent).toHaveLength(2);
  });
});
