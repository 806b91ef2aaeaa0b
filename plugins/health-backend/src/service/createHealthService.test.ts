import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readTrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import { IncidentStore } from '../database/IncidentStore';
import { DemoMonitoring } from '../demo/DemoMonitoring';
import { createHealthService } from './createHealthService';
import { CachedUptime } from './uptime';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-origin-location':
        'file:/estate/catalog-info.yaml',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-a',
  },
});

/**
 * The service with the demo's alerts and uptime (the plugin's own source
 * without a monitoring stack), its incidents in SQLite, and upstream's
 * in-memory catalog mock holding three Components.
 */
async function setup(names = ['svc-a', 'svc-b', 'svc-c']) {
  const knex = await databases.init('SQLITE_3');
  const store = await IncidentStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const demo = new DemoMonitoring({ store });
  const logger = mockServices.logger.mock();
  const catalog = catalogServiceMock({ entities: names.map(component) });
  const reads = jest.spyOn(catalog, 'getEntities');
  const config = new ConfigReader({ backend: { cache: { store: 'memory' } } });
  const health = createHealthService({
    alertmanager: demo,
    store,
    uptime: new CachedUptime({
      source: demo,
      cache: CacheManager.fromConfig(config).forPlugin('health'),
      ttlSeconds: 300,
      logger,
    }),
    uptimeLabel: 'service',
    demo: true,
    catalog,
    auth: mockServices.auth(),
    logger,
    trustedLocations: readTrustedLocations(
      new ConfigReader({
        catalog: {
          locations: [{ type: 'file', target: '/estate/catalog-info.yaml' }],
        },
      }),
    ),
  });
  return { health, reads, catalog };
}

describe('the health overview', () => {
  it('is built by the warm-up, so the first request reads no catalog', async () => {
    const { health, reads } = await setup();
    await expect(health.warmOverview()).resolves.toMatchObject({ services: 3 });
    expect(reads).toHaveBeenCalledTimes(1);
    const overview = await health.overview(
      await mockServices.auth().getOwnServiceCredentials(),
    );
    expect(overview.services.map(s => s.entityRef)).toEqual([
      'component:default/svc-a',
      'component:default/svc-b',
      'component:default/svc-c',
    ]);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('is built again after a warm-up on an empty catalog (a first start)', async () => {
    const { health, reads } = await setup([]);
    await expect(health.warmOverview()).resolves.toMatchObject({ services: 0 });
    // the catalog has read its locations since
    reads.mockResolvedValue({ items: ['svc-a'].map(component) } as any);
    const overview = await health.overview(
      await mockServices.auth().getOwnServiceCredentials(),
    );
    expect(overview.services.map(s => s.entityRef)).toEqual([
      'component:default/svc-a',
    ]);
  });
});
