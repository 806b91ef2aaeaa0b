import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DeploymentEventInput } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { DeployableEntity } from '../types';
import { createDeploymentService } from './createDeploymentService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const entity = (name: string): DeployableEntity => ({
  entityRef: `component:default/${name}`,
  name,
  system: name.split('-')[0],
  owner: `group:default/${name.split('-')[0]}-team`,
  type: 'service',
  environments: ['staging', 'production'],
  healthUrls: {},
  trusted: true,
});
/** What the catalog holds; the store starts empty (no sync has run). */
const catalogEntities = ['chat-backend', 'chat-web', 'quote-backend'].map(
  entity,
);

const event = (
  name: string,
  key: string,
  overrides: Partial<DeploymentEventInput> = {},
): DeploymentEventInput => ({
  entityRef: `component:default/${name}`,
  environment: 'production',
  version: 'main-abc1234',
  status: 'succeeded',
  idempotencyKey: key,
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'createDeploymentService on %s',
  id => {
    /**
     * The service on a real store, with the catalog lookup counted (it is
     * this plugin's own seam: `catalog.getComponents`, tested against the
     * real catalog in plugin.test.ts) and a clock the test moves.
     */
    async function setup() {
      const knex = await databases.init(id);
      const store = await DeploymentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const lookupEntities = jest.fn(async (refs: string[]) =>
        catalogEntities.filter(e => refs.includes(e.entityRef)),
      );
      let clock = new Date('2026-11-20T10:00:00Z');
      const service = createDeploymentService({
        store,
        logger: mockServices.logger.mock(),
        environments: ['staging', 'production'],
        productionEnvironment: 'production',
        lookupEntities,
        now: () => clock,
      });
      const advance = (ms: number) => {
        clock = new Date(clock.getTime() + ms);
      };
      return { service, store, lookupEntities, advance };
    }

    it('looks up services unknown to its store in one catalog call per batch, and does not repeat a miss', async () => {
      const { service, lookupEntities } = await setup();
      const names = [
        'chat-backend',
        'chat-web',
        'quote-backend',
        'chat-backend',
      ];
      await expect(
        service.ingest(
          names.map((name, i) => event(name, `batch-run-${i}`)),
          { source: 'http' },
        ),
      ).resolves.toEqual({ stored: 4, duplicates: 0 });
      expect(lookupEntities).toHaveBeenCalledTimes(1);
      expect(lookupEntities.mock.calls[0][0]).toEqual([
        'component:default/chat-backend',
        'component:default/chat-web',
        'component:default/quote-backend',
      ]);

      for (let i = 0; i < 3; i++) {
        await expect(
          service.ingest([event('nope', `nope-${i}`)], { source: 'http' }),
        ).rejects.toThrow(
          "entityRef: no deployable entity 'component:default/nope' in the catalog",
        );
      }
      // Known services come from the store now; the miss is asked once.
      await service.ingest([event('chat-backend', 'known-service-run')], {
        source: 'http',
      });
      expect(lookupEntities).toHaveBeenCalledTimes(2);
    });

    it('asks the catalog again about an unknown ref once 30 s have passed', async () => {
      const { service, lookupEntities, advance } = await setup();
      const attempt = (key: string) =>
        service.ingest([event('late-backend', key)], { source: 'http' });
      await expect(attempt('late-1')).rejects.toThrow('no deployable entity');
      expect(lookupEntities).toHaveBeenCalledTimes(1);

      // registered in the catalog meanwhile
      catalogEntities.push(entity('late-backend'));
      try {
        advance(30_000);
        await expect(attempt('late-2')).rejects.toThrow('no deployable entity');
        expect(lookupEntities).toHaveBeenCalledTimes(1);

        advance(1);
        await expect(attempt('late-3')).resolves.toEqual({
          stored: 1,
          duplicates: 0,
        });
        expect(lookupEntities).toHaveBeenCalledTimes(2);
      } finally {
        catalogEntities.pop();
      }
    });

    it('names the event of a batch in its errors, and stores nothing', async () => {
      const { service, store } = await setup();
      await expect(
        service.ingest(
          [
            event('chat-backend', 'ok-1'),
            event('chat-backend', 'bad-1', { environment: 'qa' }),
          ],
          { source: 'http', fieldPrefix: i => `events[${i}]` },
        ),
      ).rejects.toThrow(
        "events[1].environment: unknown environment 'qa', expected one of staging, production",
      );
      await expect(
        service.ingest(
          [event('chat-backend', 'bad-2', { entityRef: 'component:' })],
          {
            source: 'http',
          },
        ),
      ).rejects.toThrow(/^entityRef: not an entity reference$/);
      expect(await store.countEvents()).toBe(0);
    });

    it('answers NotFoundError for an entity that is not deployable', async () => {
      const { service } = await setup();
      await expect(
        service.entity('component:default/nope', { limit: 10, offset: 0 }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: "No deployable entity 'component:default/nope'",
      });
    });

    it('computes the metrics of a window that ends now by its clock', async () => {
      const { service, advance } = await setup();
      await service.ingest(
        [
          event('chat-backend', 'm-1', {
            finishedAt: '2026-11-19T10:00:00Z',
          }),
        ],
        { source: 'http' },
      );
      const inWindow = await service.metrics({ windowDays: 7 });
      expect(inWindow.to).toBe('2026-11-20T10:00:00.000Z');
      expect(inWindow.successRate.value).toBe(1);
      advance(8 * 24 * 3600 * 1000);
      expect((await service.metrics({ windowDays: 7 })).successRate.value).toBe(
        null,
      );
    });

    it('serves the warmed windows of the estate from memory, and computes the others', async () => {
      const { service, store } = await setup();
      await service.ingest(
        [event('chat-backend', 'm-1', { finishedAt: '2026-11-19T10:00:00Z' })],
        { source: 'http' },
      );
      const scans = jest.spyOn(store, 'metricsAggregates');
      await service.warmMetrics([30]);
      expect(scans).toHaveBeenCalledTimes(1);
      const warmed = await service.metrics({ windowDays: 30 });
      expect(warmed.successRate.value).toBe(1);
      expect(scans).toHaveBeenCalledTimes(1); // the request scanned nothing
      await service.metrics({ windowDays: 7 });
      await service.metrics({
        entityRef: 'component:default/chat-backend',
        windowDays: 30,
      });
      expect(scans).toHaveBeenCalledTimes(3); // fast scopes: on each request
    });
  },
);
