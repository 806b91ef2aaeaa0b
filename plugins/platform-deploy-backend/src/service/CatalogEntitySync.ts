import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { DeployableEntityCatalog } from '../catalog/deployableEntities';
import { DeploymentStore } from '../database/DeploymentStore';
import { demoHistory } from '../demo/demoHistory';
import { DeploymentService } from './types';

/** The id of the scheduled task. */
export const CATALOG_SYNC_TASK_ID = 'platform-deploy-catalog-sync';

/**
 * The periodic copy of the catalog's Components into the store, which the
 * overview filters and sorts on (in one SQL query) and the health prober
 * reads its URLs from.
 *
 * Right after a start the catalog may not have read its locations yet and
 * answers no Components: the store is then kept as it is (not emptied), and
 * the sync tries again every `retryIntervalMs`, up to `attempts` times,
 * instead of leaving the matrix empty until the next run. The first run
 * that finds Components syncs again, `retryIntervalMs` apart, while their
 * count still grows.
 *
 * With the demo on, that first run gives each entity without events about
 * 30 days of demo history through the ingest service (later runs feed
 * nothing: an entity registered later starts without history).
 */
export class CatalogEntitySync {
  private readonly attempts: number;
  private readonly retryIntervalMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Whether a run since the start has seen the catalog stop growing. */
  private settled = false;

  constructor(
    private readonly options: {
      catalog: DeployableEntityCatalog;
      store: DeploymentStore;
      deployments: DeploymentService;
      logger: LoggerService;
      demoEnabled: boolean;
      /** Entities whose demo history deploys continuously. */
      demoContinuousDelivery?: string[];
      /** Tries while the catalog has no Components; default 12. */
      attempts?: number;
      /** Pause between tries; default 5 s (12 tries: a minute). */
      retryIntervalMs?: number;
      /** How to wait between tries; tests pass their own. */
      sleep?: (ms: number) => Promise<void>;
    },
  ) {
    this.attempts = options.attempts ?? 12;
    this.retryIntervalMs = options.retryIntervalMs ?? 5000;
    this.sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
  }

  /** Schedules {@link CatalogEntitySync.run} on one replica at a time. */
  async schedule(
    scheduler: SchedulerService,
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: CATALOG_SYNC_TASK_ID,
      ...schedule,
      scope: 'global',
      fn: async () => {
        await this.run();
      },
    });
  }

  /** One run: the sync (with its tries), then the demo feed if it is on. */
  async run(
    now: () => Date = () => new Date(),
  ): Promise<{ synced: number; demoEvents: number }> {
    let synced = 0;
    let attempt = 1;
    for (; attempt <= this.attempts; attempt++) {
      synced = await this.syncOnce(now());
      if (synced > 0 || attempt === this.attempts) break;
      await this.sleep(this.retryIntervalMs);
    }
    if (this.settled || synced === 0) return { synced, demoEvents: 0 };
    // The first run after a start may meet a catalog still reading its
    // locations (32 of 39 Components): it syncs again while the count grows,
    // and the demo feeds each entity that arrived meanwhile
    let demoEvents = await this.feedDemo(now());
    for (attempt += 1; attempt <= this.attempts; attempt++) {
      await this.sleep(this.retryIntervalMs);
      const again = await this.syncOnce(now());
      if (again <= synced) break;
      synced = again;
      demoEvents += await this.feedDemo(now());
    }
    this.settled = true;
    return { synced, demoEvents };
  }

  /** Copies the catalog's Components into the store; returns how many. */
  private async syncOnce(now: Date): Promise<number> {
    const { catalog, store, logger } = this.options;
    const entities = await catalog.listComponents();
    if (entities.length === 0) {
      // A catalog still reading its locations at start-up: keep the store as
      // it is rather than emptying it.
      logger.info('The catalog has no components yet');
      return 0;
    }
    await store.syncEntities(entities, now);
    logger.info('Synced deployable entities from the catalog', {
      count: entities.length,
    });
    return entities.length;
  }

  /** Demo history for the entities that have no events yet (the demo on). */
  private async feedDemo(now: Date): Promise<number> {
    const { store, deployments, logger, demoEnabled } = this.options;
    if (!demoEnabled) return 0;
    const entities = await store.listEntities({ withoutEvents: true });
    if (entities.length === 0) return 0;
    const events = demoHistory(entities, now, 30, {
      continuousDelivery: new Set(this.options.demoContinuousDelivery ?? []),
    });
    const result = await deployments.ingest(events, { source: 'demo' });
    logger.info('Fed demo deployment history', { ...result });
    return events.length;
  }
}
