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

  it('refresh builds without a reader; the next read is served from it', async () => {
    const { snapshot, builds } = setup();
    expect(snapshot.isWarm()).toBe(false);
    const warm = snapshot.refresh();
    builds.pending[0].resolve(['warm']);
    await expect(warm).resolves.toMatchObject({ rows: ['warm'] });
    expect(snapshot.isWarm()).toBe(true);
    await expect(snapshot.get()).resolves.toMatchObject({ rows: ['warm'] });
    expect(builds.pending).toHaveLength(1);
  });

  it('does not reuse an empty snapshot (built before the catalog had ingested)', async () => {
    const { snapshot, builds } = setup();
    const warm = snapshot.refresh();
    builds.pending[0].resolve([]);
    await warm;
    const read = snapshot.get();
    expect(builds.pending).toHaveLength(2);
    builds.pending[1].resolve(['now-there']);
    await expect(read).resolves.toMatchObject({ rows: ['now-there'] });
  });

  describe('patch', () => {
    const keyed = () => {
      clock = new Date('2026-11-20T12:00:00Z');
      const builds = controlledBuilds();
      const snapshot = createStatusSnapshot<string>({
        build: builds.build,
        key: row => row.split('=')[0],
        logger: mockServices.logger.mock(),
        now: () => clock,
        ttlMs: TTL,
      });
      return { snapshot, builds };
    };

    it('replaces the rows of the patched keys without a build', async () => {
      const { snapshot, builds } = keyed();
      const warm = snapshot.refresh();
      builds.pending[0].resolve(['a=1', 'b=1']);
      await warm;
      snapshot.patch(['b=2']);
      await expect(snapshot.get()).resolves.toMatchObject({
        rows: ['a=1', 'b=2'],
      });
      expect(builds.pending).toHaveLength(1);
    });

    it('keeps a patch made while a build runs over that build', async () => {
      const { snapshot, builds } = keyed();
      const warm = snapshot.refresh();
      builds.pending[0].resolve(['a=1', 'b=1']);
      await warm;
      const next = snapshot.refresh();
      snapshot.patch(['a=2']); // written after the build read the runs
      builds.pending[1].resolve(['a=1', 'b=1']);
      await next;
      await expect(snapshot.get()).resolves.toMatchObject({
        rows: ['a=2', 'b=1'],
      });
      // the patch is forgotten once a later build has read past it
      const after = snapshot.refresh();
      builds.pending[2].resolve(['a=3', 'b=1']);
      await expect(after).resolves.toMatchObject({ rows: ['a=3', 'b=1'] });
    });

    it('a key the snapshot lacks makes the next read wait for a build', async () => {
      const { snapshot, builds } = keyed();
      const warm = snapshot.refresh();
      builds.pending[0].resolve(['a=1']);
      await warm;
      snapshot.patch(['c=1']);
      const read = snapshot.get();
      expect(builds.pending).toHaveLength(2);
      builds.pending[1].resolve(['a=1', 'c=1', 'd=1']);
      await expect(read).resolves.toMatchObject({
        rows: ['a=1', 'c=1', 'd=1'],
      });
    });
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

describe.each(databases.eachSupportedId())(
  'the overview status snapshot of the service (%s)',
  databaseId => {
    async function setupService(entities = [entity]) {
      const knex = await databases.init(databaseId);
      const store = await DatabaseBackupStore.create({
        database: { getClient: async () => knex },
      });
      // every full build is one catalog call and one query of every run
      const fullBuilds = jest.spyOn(store, 'listRunsForStatus');
      const getEntities = jest.fn(async () => ({ items: entities }));
      const service = createBackupStatusService({
        store,
        catalog: catalogServiceMock.mock({
          getEntities,
          getEntitiesByRefs: async ({ entityRefs }) => ({
            items: entityRefs.map(ref =>
              entities.find(e => `resource:default/${e.metadata.name}` === ref),
            ),
          }),
        }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        policies: readBackupStatusConfig(new ConfigReader({})).policies,
      });
      // a run's times are read once: a report again is the same run
      const reportedAt = new Map<string, number>();
      const report = (
        key: string,
        status: 'succeeded' | 'failed',
        entityRef = 'resource:default/chat-db',
      ) => {
        const at = reportedAt.get(key) ?? Date.now();
        reportedAt.set(key, at);
        return service.ingestRuns(
          [
            {
              entityRef,
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
      const queriesOfAllRuns = () =>
        fullBuilds.mock.calls.filter(([o]) => !o.entityRefs).length;
      return { service, report, getEntities, queriesOfAllRuns, fullBuilds };
    }

    it('serves the first request from the snapshot the warm-up built: no build on the request path', async () => {
      const { service, report, getEntities, queriesOfAllRuns } =
        await setupService();
      await report('run-1', 'succeeded');
      // the start's warm-up (StatusSnapshotRefresh), before any request
      await expect(service.refreshSnapshot()).resolves.toMatchObject({
        entities: 1,
      });
      expect(getEntities).toHaveBeenCalledTimes(1);
      expect(queriesOfAllRuns()).toBe(1);

      const first = await service.getOverview({ limit: 10, offset: 0 });
      expect(first.items.map(i => i.entityRef)).toEqual([
        'resource:default/chat-db',
      ]);
      expect(first.items[0].backup.lastGoodBackupAt).toBeDefined();
      // served from the warm snapshot: no catalog call, no query of the runs
      expect(getEntities).toHaveBeenCalledTimes(1);
      expect(queriesOfAllRuns()).toBe(1);
    });

    it('without the warm-up, the first request builds (what the warm-up takes off the request path)', async () => {
      const { service, getEntities, queriesOfAllRuns } = await setupService();
      await service.getOverview({ limit: 10, offset: 0 });
      expect(getEntities).toHaveBeenCalledTimes(1);
      expect(queriesOfAllRuns()).toBe(1);
    });

    it("patches this replica's writes in at once, without a full build, and the fresh one on request", async () => {
      const { service, report, getEntities, queriesOfAllRuns, fullBuilds } =
        await setupService();
      const lastFailed = async () =>
        (
          await service.getOverview({ limit: 10, offset: 0 })
        ).items[0].backup.reasons.some(r => r.code === 'last_run_failed');

      await service.refreshSnapshot();
      await report('run-1', 'succeeded');
      expect(await lastFailed()).toBe(false);
      await report('run-2', 'failed');
      expect(await lastFailed()).toBe(true); // the next read shows it
      // one query of the written entity's runs per ingest, no full build
      expect(getEntities).toHaveBeenCalledTimes(1);
      expect(queriesOfAllRuns()).toBe(1);
      expect(fullBuilds).toHaveBeenLastCalledWith(
        expect.objectContaining({ entityRefs: ['resource:default/chat-db'] }),
      );

      // a duplicate report changes nothing and queries nothing
      const calls = fullBuilds.mock.calls.length;
      await report('run-2', 'failed');
      expect(fullBuilds.mock.calls.length).toBe(calls);
      // the notification task asks for a fresh one: every write of this
      // replica is in the patched snapshot already
      await report('run-3', 'succeeded');
      const fresh = await service.getOverview(
        { limit: 10, offset: 0 },
        { fresh: true },
      );
      expect(
        fresh.items[0].backup.reasons.some(r => r.code === 'last_run_failed'),
      ).toBe(false);
      expect(getEntities).toHaveBeenCalledTimes(1);
    });

    it('waits for a full build when a write names an entity the snapshot lacks (the catalog moved on)', async () => {
      const other = {
        ...entity,
        metadata: { ...entity.metadata, name: 'notes-db' },
      };
      const entities = [entity];
      const { service, report, getEntities } = await setupService(entities);
      await service.refreshSnapshot();
      entities.push(other); // the catalog has it now, the snapshot not
      await report('notes-1', 'succeeded', 'resource:default/notes-db');
      const overview = await service.getOverview({ limit: 10, offset: 0 });
      expect(overview.items.map(i => i.entityRef).sort()).toEqual([
        'resource:default/chat-db',
        'resource:default/notes-db',
      ]);
      expect(getEntities).toHaveBeenCalledTimes(2);
    });
  },
);
