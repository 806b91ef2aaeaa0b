import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseBackupStore } from '../database/DatabaseBackupStore';
import { readBackupStatusConfig } from '../config';
import { createBackupStatusService } from './createBackupStatusService';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

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

describe('the overview status snapshot', () => {
  it('serves the previous snapshot while the next builds, and the fresh one once built', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseBackupStore.create({
      database: { getClient: async () => knex },
    });
    const getEntities = jest.fn(async () => ({ items: [entity] }));
    const service = createBackupStatusService({
      store,
      catalog: catalogServiceMock.mock({
        getEntities,
        getEntitiesByRefs: async () => ({ items: [entity] }),
      }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      policies: readBackupStatusConfig(new ConfigReader({})).policies,
    });
    const report = (key: string, status: 'succeeded' | 'failed') =>
      service.ingestRuns([
        {
          entityRef: 'resource:default/chat-db',
          type: 'backup',
          status,
          startedAt: new Date(Date.now() - 120_000).toISOString(),
          finishedAt: new Date(Date.now() - 60_000).toISOString(),
          idempotencyKey: key,
        },
      ]);
    const lastFailed = async () =>
      (
        await service.getOverview({ limit: 10, offset: 0 })
      ).items[0].backup.reasons.some(r => r.code === 'last_run_failed');

    await report('run-1', 'succeeded');
    expect(await lastFailed()).toBe(false); // first build, waited for
    expect(await lastFailed()).toBe(false); // reused: no catalog call
    expect(getEntities).toHaveBeenCalledTimes(1);

    await report('run-2', 'failed');
    expect(await lastFailed()).toBe(false); // the previous snapshot, at once
    // the rebuild started by that read has finished by the next one
    await new Promise(r => setTimeout(r, 200));
    expect(await lastFailed()).toBe(true);
    expect(getEntities).toHaveBeenCalledTimes(2);

    // a duplicate report changes nothing and triggers no rebuild
    await report('run-2', 'failed');
    expect(await lastFailed()).toBe(true);
    expect(getEntities).toHaveBeenCalledTimes(2);
    // the notification task asks for a fresh one and waits for it
    await report('run-3', 'succeeded');
    const fresh = await service.getOverview(
      { limit: 10, offset: 0 },
      { fresh: true },
    );
    expect(
      fresh.items[0].backup.reasons.some(r => r.code === 'last_run_failed'),
    ).toBe(false);
  });
});
