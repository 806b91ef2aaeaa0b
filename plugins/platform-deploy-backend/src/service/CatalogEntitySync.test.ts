import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DeployableEntityCatalog } from '../catalog/deployableEntities';
import { DeploymentStore } from '../database/DeploymentStore';
import { DeployableEntity } from '../types';
import { CatalogEntitySync } from './CatalogEntitySync';
import { createDeploymentService } from './createDeploymentService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const entity = (name: string): DeployableEntity => ({
  entityRef: `component:default/${name}`,
  name,
  system: 'chat',
  owner: 'group:default/chat-team',
  type: 'service',
  environments: ['staging', 'production'],
  healthUrls: {},
  trusted: true,
});
const entities = ['chat-backend', 'chat-web', 'quote-backend'].map(entity);

/**
 * The catalog as the sync sees it (`DeployableEntityCatalog`, this plugin's
 * own seam), answering a script of Component lists in turn: the way to put a
 * catalog that is still reading its locations in front of the sync. The real
 * catalog behind it is in plugin.test.ts.
 */
function scriptedCatalog(...answers: DeployableEntity[][]) {
  const listComponents = jest.fn(async () =>
    answers.length > 1 ? answers.shift()! : answers[0],
  );
  const catalog: DeployableEntityCatalog = {
    listComponents,
    getComponents: async () => [],
  };
  return { catalog, listComponents };
}

describe.each(databases.eachSupportedId())('CatalogEntitySync on %s', id => {
  async function setup(
    catalog: DeployableEntityCatalog,
    options: { demoEnabled?: boolean } = {},
  ) {
    const knex = await databases.init(id);
    const store = await DeploymentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const logger = mockServices.logger.mock();
    const deployments = createDeploymentService({
      store,
      logger,
      environments: ['staging', 'production'],
      productionEnvironment: 'production',
      lookupEntities: async () => [],
    });
    const sleep = jest.fn(async (_ms: number) => {});
    const sync = new CatalogEntitySync({
      catalog,
      store,
      deployments,
      logger,
      demoEnabled: options.demoEnabled ?? false,
      sleep,
    });
    return { store, sync, sleep };
  }

  it('tries again while the catalog is still empty after start', async () => {
    const { catalog, listComponents } = scriptedCatalog([], entities);
    const { store, sync, sleep } = await setup(catalog);
    expect(await sync.run()).toEqual({ synced: 3, demoEvents: 0 });
    // empty, then 3, then 3 again: the catalog has stopped growing
    expect(listComponents).toHaveBeenCalledTimes(3);
    expect(sleep.mock.calls).toEqual([[5000], [5000]]);
    expect((await store.listEntities()).map(e => e.name)).toEqual([
      'chat-backend',
      'chat-web',
      'quote-backend',
    ]);
  });

  it('keeps the store as it is when the catalog stays empty, and gives up after a minute', async () => {
    const { catalog, listComponents } = scriptedCatalog(entities, []);
    const { store, sync, sleep } = await setup(catalog);
    await sync.run();
    expect(await sync.run()).toEqual({ synced: 0, demoEvents: 0 });
    // 2 tries in the first run (3, then none: it settles), then 12 tries
    // with 11 pauses of 5 s in the second
    expect(listComponents).toHaveBeenCalledTimes(14);
    expect(sleep).toHaveBeenCalledTimes(12);
    expect(await store.listEntities()).toHaveLength(3);
  });

  it('drops entities the catalog no longer has', async () => {
    const { catalog } = scriptedCatalog(entities, entities.slice(0, 1));
    const { store, sync } = await setup(catalog);
    await sync.run(() => new Date('2026-11-20T10:00:00Z'));
    await sync.run(() => new Date('2026-11-20T10:05:00Z'));
    expect((await store.listEntities()).map(e => e.name)).toEqual([
      'chat-backend',
    ]);
  });

  it('feeds demo history once, into an empty store only', async () => {
    const { catalog } = scriptedCatalog(entities);
    const { store, sync } = await setup(catalog, { demoEnabled: true });
    const first = await sync.run();
    expect(first.demoEvents).toBeGreaterThan(0);
    const stored = await store.countEvents();
    expect(stored).toBe(first.demoEvents);
    expect(await sync.run()).toEqual({ synced: 3, demoEvents: 0 });
    expect(await store.countEvents()).toBe(stored);
  });

  it('syncs again at start while the catalog is still reading its locations', async () => {
    const { catalog, listComponents } = scriptedCatalog(
      entities.slice(0, 2),
      entities,
    );
    const { store, sync } = await setup(catalog, { demoEnabled: true });
    expect((await sync.run()).synced).toBe(3);
    expect(listComponents).toHaveBeenCalledTimes(3); // 2, 3, 3
    // every entity has its demo history from the first run, also the one
    // that arrived after the first sync
    expect(await store.listEntities({ withoutEvents: true })).toEqual([]);
    await sync.run(); // later runs sync once, and feed nothing
    expect(listComponents).toHaveBeenCalledTimes(4);
  });

  it('gives an entity with reported events no demo history, and feeds nothing after the first run', async () => {
    const { catalog } = scriptedCatalog(entities.slice(0, 2), entities, [
      ...entities,
      entity('quote-web'),
    ]);
    const { store, sync } = await setup(catalog, { demoEnabled: true });
    // CI reported for quote-backend before the catalog had read it
    await store.insertEvents([
      {
        entityRef: 'component:default/quote-backend',
        environment: 'production',
        version: 'main-ci',
        status: 'succeeded',
        idempotencyKey: 'ci-1',
        source: 'http:ci',
        receivedAt: new Date(),
      },
    ]);
    await sync.run(); // 2, 3, 4 Components while it settles
    const history = async (name: string) =>
      (
        await store.listHistory({
          entityRef: `component:default/${name}`,
          limit: 100,
          offset: 0,
        })
      ).items.map(e => e.source);
    expect(new Set(await history('chat-web'))).toEqual(new Set(['demo']));
    expect(await history('quote-backend')).toEqual(['http:ci']);
    expect(new Set(await history('quote-web'))).toEqual(new Set(['demo']));
  });

  it('feeds no demo history when the demo is off', async () => {
    const { catalog } = scriptedCatalog(entities);
    const { store, sync } = await setup(catalog);
    await sync.run();
    expect(await store.countEvents()).toBe(0);
  });
});
