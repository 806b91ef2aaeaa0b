import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { testPostgresConnection } from '@platform-portal/backstage-plugin-platform-node/testUtils';
import { ImageScanStore } from '../database/ImageScanStore';
import { createImageScanService } from './createImageScanService';
import { demoTrivyReport, feedDemoScans } from './demoScans';
import { DeployedVersions } from './types';

jest.setTimeout(60_000);

testPostgresConnection();
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const DAY = 24 * 3600 * 1000;
const now = new Date('2026-12-02T08:00:00Z');

// FAKES at the boundaries: the catalog's Components and platform-deploy's
// live versions (both run for real in plugin.test.ts).
const refs = Array.from({ length: 8 }, (_, i) => `component:default/svc-${i}`);
const catalog = {
  getEntities: async () => ({
    items: refs.map(ref => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { namespace: 'default', name: ref.split('/')[1] },
    })),
  }),
} as unknown as CatalogService;
const deployed: DeployedVersions = {
  async forEntity(entityRef) {
    const i = Number(entityRef.split('-').pop());
    return {
      environments: ['staging', 'production'],
      states: {
        staging: { version: `1.${i}.1`, deployedAt: now.toISOString() },
        production: {
          version: `1.${i}.0`,
          deployedAt: new Date(now.getTime() - (i + 1) * DAY).toISOString(),
        },
      },
    };
  },
  async allIn(environment) {
    return Promise.all(
      refs.map(async entityRef => ({
        entityRef,
        ...(await deployed.forEntity(entityRef)).states[environment],
      })),
    );
  },
};

describe('demoTrivyReport', () => {
  it('is a valid schema-2 report, the same for the same entity and version', () => {
    const a = demoTrivyReport('component:default/svc-1', '1.1.0');
    expect(a.SchemaVersion).toBe(2);
    expect(a.ArtifactName).toBe('demo.invalid/svc-1:1.1.0');
    expect(demoTrivyReport('component:default/svc-1', '1.1.0')).toEqual(a);
    expect(
      demoTrivyReport('component:default/svc-1', '1.1.1').Metadata.ImageID,
    ).not.toBe(a.Metadata.ImageID);
  });
});

describe.each(databases.eachSupportedId())('feedDemoScans on %s', id => {
  it('scans what runs in each environment, marked demo, criticals open since the deploy; once', async () => {
    const store = await ImageScanStore.fromKnex(await databases.init(id));
    const scans = createImageScanService({
      store,
      deployed,
      owners: { ownerOf: async () => ({ found: true }) },
      productionEnvironment: 'production',
      now: () => now,
    });
    const options = {
      scans,
      store,
      deployed,
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      now,
    };
    expect(await feedDemoScans(options)).toEqual({ stored: 16 });
    expect(await feedDemoScans(options)).toEqual({ stored: 0 });

    const all = await Promise.all(refs.map(r => scans.entity(r, {} as any)));
    const production = all.map(
      e => e.environments.find(x => x.environment === 'production')!,
    );
    expect(production.every(p => p.scanned && p.demo)).toBe(true);
    const withCritical = production.filter(p => p.counts.CRITICAL > 0);
    expect(withCritical.length).toBeGreaterThan(0);
    expect(withCritical.length).toBeLessThan(refs.length);
    for (const p of withCritical) {
      const i = Number(p.version!.split('.')[1]);
      expect(p.criticalsOpen![0].openDays).toBe(i + 1);
    }
    const facts = await scans.entityFacts({ highOlderThanDays: 3 });
    expect(facts.items).toHaveLength(refs.length);
    expect(facts.items.every(f => f.demo && f.scanned)).toBe(true);
    expect(facts.items.some(f => f.highOlderThan > 0)).toBe(true);
  });

  it('feeds nothing once a real report exists', async () => {
    const store = await ImageScanStore.fromKnex(await databases.init(id));
    await store.storeReport({
      entityRef: 'component:default/svc-0',
      version: '9.9.9',
      imageDigest: `sha256:${'b'.repeat(64)}`,
      contentSha256: 'x',
      artifactName: 'svc-0:9.9.9',
      source: 'http:ci',
      findings: [],
    });
    const scans = createImageScanService({
      store,
      deployed,
      owners: { ownerOf: async () => ({ found: true }) },
      productionEnvironment: 'production',
    });
    expect(
      await feedDemoScans({
        scans,
        store,
        deployed,
        catalog,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        now,
      }),
    ).toEqual({ stored: 0 });
  });
});
