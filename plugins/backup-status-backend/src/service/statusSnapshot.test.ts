import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readBackupStatusConfig } from '../config';
import { DatabaseBackupStore } from '../database/DatabaseBackupStore';
import { createBackupStatusService } from './createBackupStatusService';
import { createStatusSnapshot } from './statusSnapshot';

/** A build the test finishes by hand: no timers, every step observable. */
function controlledBuilds() {
  const pending: Array<{
    at: Date;
    resolve: (rows: string[]) => void;
    reject: (error: Error) => void;
  }> = [];
  const build = (at: Date) =>
    new Promise<string[]>((resolve, reject) =>
      pending.push({ at, resolve, reject }),
    );
  return { build, pending };
}

/** Lets promise callbacks run (no time passes on any clock). */
const settle = () => new Promise<void>(r => setImmediate(r));

describe('createStatusSnapshot', () => {
  const TTL = 60_000;
  let clock: Date;
  const setup = () => {
    clock = new Date('2026-11-20T12:00:00Z');
    const builds = controlledBuilds();
    const logger = mockServices.logger.mock();
    const snapshot = createStatusSnapshot({
      build: builds.build,
      logger,
      now: () => clock,
      ttlMs: TTL,
    });
    return { snapshot, builds, logger };
  };
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  it('waits for the first build, and concurrent readers share it', async () => {
    const { snapshot, builds } = setup();
    const a = snapshot.get();
    const b = snapshot.get();
    expect(builds.pending).toHaveLength(1);
    builds.pending[0].resolve(['first']);
    await expect(a).resolves.toMatchObject({ rows: ['first'], at: clock });
    await expect(b).resolves.toMatchObject({ rows: ['first'] });
  });

  it('reuses a snapshot within the TTL without building', async () => {
    const { snapshot, builds } = setup();
    const first = snapshot.get();
    builds.pending[0].resolve(['first']);
    await first;
    advance(TTL - 1);
    await expect(snapshot.get()).resolves.toMatchObject({ rows: ['first'] });
    expect(builds.pending).toHaveLength(1);
  });

  it('serves the previous snapshot while the next builds after a write, then the new one', async () => {
    const { snapshot, builds } = setup();
    const first = snapshot.get();
    builds.pending[0].resolve(['before']);
    await first;

    snapshot.invalidate();
    await expect(snapshot.get()).resolves.toMatchObject({ rows: ['before'] });
    expect(builds.pending).toHaveLength(2);
    // a second reader during the build: still the old one, no third build
    await expect(snapshot.get()).resolves.toMatchObject({ rows: ['before'] });
    expect(builds.pending).toHaveLength(2);

    builds.pending[1].resolve(['after']);
    await settle();
    await expect(snapshot.get()).resolves.toMatchObject({ rows: ['after'] });
    expect(builds.pending).toHaveLength(2);
  });

  it('rebuilds after the TTL, and waits when the snapshot is far behind the clock', async () => {
    const { snapshot, builds } = setup();
    const first = snapshot.get();
    builds.pending[0].resolve(['old']);
    await first;

    advance(TTL);
    await expect(snapshot.get()).resolves.toMatchObject({ rows: ['old'] });
    expect(builds.pending).toHaveLength(2);
    builds.pending[1].resolve(['newer']);
    await settle();

    advance(2 * TTL);
    const waited = snapshot.get();
    expect(builds.pending).toHaveLength(3);
    builds.pending[2].resolve(['newest']);
    await expect(waited).resolves.toMatchObject({ rows: ['newest'] });
  });

  it('with fresh, waits for a build that includes the latest write', async () => {
    const { snapshot, builds } = setup();
    const first = snapshot.get();
    builds.pending[0].resolve(['v1']);
    await first;

    snapshot.invalidate();
    await snapshot.get(); // starts build 2 for the first write, serves v1
    snapshot.invalidate(); // a second write while build 2 runs
    const fresh = snapshot.get({ fresh: true });
    builds.pending[1].resolve(['v2']);
    await settle();
    // build 2 started before the second write: a third build is needed
    expect(builds.pending).toHaveLength(3);
    builds.pending[2].resolve(['v3']);
    await expect(fresh).resolves.toMatchObject({ rows: ['v3'] });
  });

  it('keeps serving the previous snapshot when a rebuild fails, and logs it', async () => {
    const { snapshot, builds, logger } = setup();
    const first = snapshot.get();
    builds.pending[0].resolve(['good']);
    await first;

    snapshot.invalidate();
    await expect(snapshot.get()).resolves.toMatchObject({ rows: ['good'] });
    builds.pending[1].reject(new Error('catalog down'));
    await settle();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('catalog down'),
    );
    // the next read tries again
    await expect(snapshot.get()).resolves.toMatchObject({ rows: ['good'] });
    expect(builds.pending).toHaveLength(3);
  });

  it('fails the first read when the first build fails', async () => {
    const { snapshot, builds } = setup();
    const first = snapshot.get();
    builds.pending[0].reject(new Error('catalog down'));
    await expect(first).rejects.toThrow('catalog down');
  });
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

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

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

describe.each(databases.eachSupportedId())(
  'the overview status snapshot of the service (%s)',
  databaseId => {
    it('serves the previous snapshot while the next builds, and the fresh one once built', async () => {
      const knex = await databases.init(databaseId);
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
      // a run's times are read once: a report again is the same run
      const reportedAt = new Map<string, number>();
      const report = (key: string, status: 'succeeded' | 'failed') => {
        const at = reportedAt.get(key) ?? Date.now();
        reportedAt.set(key, at);
        return service.ingestRuns(
          [
            {
              entityRef: 'resource:default/chat-db',
              type: 'backup',
              status,
              startedAt: new Date(at - 120_000).toISOString(),
              finishedAt: new Date(at - 60_000).toISOString(),
              idempotencyKey: key,
            },
          ],
          { source: 'test' },
        );
      };
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
      // the rebuild started by that read shows once it has finished
      await eventually(lastFailed, 'the rebuilt snapshot shows run-2');
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
  },
);
