import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NotificationService } from '@backstage/plugin-notifications-node';
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

/** A policy-bearing entity of its own per test (tests change annotations). */
function makeEntity(name: string, owner: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'platform-portal.dev/backup-policy': 'postgres-daily',
      } as Record<string, string>,
    },
    spec: { type: 'database', owner },
  };
}

type Sent = Parameters<NotificationService['send']>[0];

async function setup(
  id: TestDatabaseId,
  entities: ReturnType<typeof makeEntity>[],
  send: (n: Sent) => Promise<void>,
) {
  const knex = await databases.init(id);
  const store = await DatabaseBackupStore.create({
    database: { getClient: async () => knex },
  });
  const state = { clock: new Date('2026-11-20T12:00:00Z') };
  const logger = mockServices.logger.mock();
  const service = createBackupStatusService({
    store,
    // in memory, so that a test can change an entity's annotations
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    policies: readBackupStatusConfig(new ConfigReader({})).policies,
    now: () => state.clock,
  });
  const notify = () =>
    notifyBackupChanges({
      service,
      store,
      notifications: { send },
      logger,
      now: state.clock,
    });
  const run = (
    entityRef: string,
    type: 'backup' | 'restore-test',
    status: 'succeeded' | 'failed',
    finishedAt: string,
  ) =>
    service.ingestRuns(
      [
        {
          entityRef,
          type,
          status,
          startedAt: new Date(
            Date.parse(finishedAt) - 20 * 60_000,
          ).toISOString(),
          finishedAt,
          idempotencyKey: `${entityRef}:${type}:${finishedAt}`,
        },
      ],
      { source: 'test' },
    );
  /** Last good backup 34 h old (RPO 24 h + 2 h grace) and last night's failed. */
  const makeCritical = async (entityRef: string) => {
    await run(entityRef, 'backup', 'succeeded', '2026-11-19T02:05:00.000Z');
    await run(entityRef, 'backup', 'failed', '2026-11-20T02:05:00.000Z');
  };
  const later = (hours: number) => {
    state.clock = new Date(state.clock.getTime() + hours * HOUR);
  };
  return { store, service, notify, run, makeCritical, later, logger };
}

describe.each(databases.eachSupportedId())('notifyBackupChanges on %p', id => {
  it('sends the recovery after critical, then unknown, then ok', async () => {
    const quotes = makeEntity('quote-db', 'team-quotes');
    const sent: Sent[] = [];
    const t = await setup(id, [quotes], async n => void sent.push(n));

    await t.makeCritical('resource:default/quote-db');
    expect(await t.notify()).toBe(1);
    expect(sent[0].payload.title).toBe('Backups of quote-db are critical');

    // a typo in the annotation: no known policy, status unknown (no data)
    quotes.metadata.annotations['platform-portal.dev/backup-policy'] =
      'postgres-dialy';
    t.later(1); // past the snapshot's TTL, so the catalog is read again
    const unknown = await t.service.getOverview(
      { limit: 10, offset: 0 },
      { fresh: true },
    );
    expect(unknown.items[0].backup.status).toBe('unknown');
    expect(await t.notify()).toBe(0);

    // fixed, and a good backup and a restore test: ok
    quotes.metadata.annotations['platform-portal.dev/backup-policy'] =
      'postgres-daily';
    t.later(1);
    await t.run(
      'resource:default/quote-db',
      'backup',
      'succeeded',
      '2026-11-20T13:30:00.000Z',
    );
    await t.run(
      'resource:default/quote-db',
      'restore-test',
      'succeeded',
      '2026-11-20T13:45:00.000Z',
    );
    const ok = await t.service.getOverview(
      { limit: 10, offset: 0 },
      { fresh: true },
    );
    expect(ok.items[0].backup.status).toBe('ok');
    expect(await t.notify()).toBe(1);
    expect(sent[1].payload).toMatchObject({
      title: 'Backups of quote-db are ok again',
      severity: 'normal',
    });
    expect(await t.notify()).toBe(0);
  });

  it('logs a failed send, keeps the other entities’ states, and retries the failed one', async () => {
    let failChat = true;
    const sent: Sent[] = [];
    const t = await setup(
      id,
      [
        makeEntity('chat-db', 'team-chat'),
        makeEntity('quote-db', 'team-quotes'),
      ],
      async n => {
        if (
          failChat &&
          n.recipients.type === 'entity' &&
          n.recipients.entityRef === 'group:default/team-chat'
        ) {
          throw new Error('notifications backend unavailable');
        }
        sent.push(n);
      },
    );
    await t.makeCritical('resource:default/chat-db');
    await t.makeCritical('resource:default/quote-db');

    await expect(t.notify()).resolves.toBe(1);
    expect(sent.map(n => n.payload.title)).toEqual([
      'Backups of quote-db are critical',
    ]);
    expect(t.logger.error).toHaveBeenCalledWith(
      'Could not send backup notification',
      expect.objectContaining({
        entityRef: 'resource:default/chat-db',
        error: expect.stringContaining('notifications backend unavailable'),
      }),
    );
    const states = await t.store.getNotificationStates();
    expect(states.get('resource:default/quote-db')).toBe('critical');
    // not recorded: its message is still owed
    expect(states.has('resource:default/chat-db')).toBe(false);

    failChat = false;
    t.later(0.25);
    await expect(t.notify()).resolves.toBe(1);
    expect(sent.map(n => n.payload.title)).toEqual([
      'Backups of quote-db are critical',
      'Backups of chat-db are critical',
    ]);
    expect(await t.notify()).toBe(0);
  });

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
      service.ingestRuns(
        [
          {
            entityRef: 'resource:default/chat-db',
            type: 'backup',
            status,
            startedAt: new Date(at.getTime() - 60_000).toISOString(),
            finishedAt: at.toISOString(),
            idempotencyKey: key,
          },
        ],
        { source: 'test' },
      );

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
    await service.ingestRuns(
      [
        {
          entityRef: 'resource:default/chat-db',
          type: 'restore-test',
          status: 'succeeded',
          startedAt: new Date(clock.getTime() - 50 * 60_000).toISOString(),
          finishedAt: new Date(clock.getTime() - 30 * 60_000).toISOString(),
          idempotencyKey: 'rt-1',
        },
      ],
      { source: 'test' },
    );
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
