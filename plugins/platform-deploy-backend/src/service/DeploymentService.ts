import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_ENVIRONMENTS,
  DeploymentEventInput,
  EntityDeploymentsResponse,
  IngestResult,
  MetricsResponse,
  OverviewQuery,
  OverviewResponse,
  healthUrlAnnotation,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  DeployableEntity,
  DeploymentStore,
  NewDeploymentEvent,
} from '../database/DeploymentStore';
import { PlatformDeployConfig } from '../config';
import { computeMetrics } from './metrics';

const DAY_MS = 24 * 3600 * 1000;

/** Maps a catalog Component to what the store keeps of it. */
export function toDeployableEntity(
  entity: Entity,
  environments: string[],
): DeployableEntity {
  const annotations = entity.metadata.annotations ?? {};
  const declared = annotations[ANNOTATION_ENVIRONMENTS]?.split(',')
    .map(e => e.trim())
    .filter(e => environments.includes(e));
  const envs = declared?.length ? declared : environments;
  const healthUrls: Record<string, string> = {};
  for (const env of envs) {
    const url = annotations[healthUrlAnnotation(env)];
    if (url) healthUrls[env] = url;
  }
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const ref = (value: unknown, kind: string) =>
    typeof value === 'string'
      ? stringifyEntityRef(
          parseEntityRef(value, {
            defaultKind: kind,
            defaultNamespace: 'default',
          }),
        )
      : undefined;
  return {
    entityRef: stringifyEntityRef(entity),
    name: entity.metadata.name,
    title: entity.metadata.title,
    system: typeof spec.system === 'string' ? spec.system : undefined,
    owner: ref(spec.owner, 'group'),
    type: typeof spec.type === 'string' ? spec.type : undefined,
    environments: envs,
    healthUrls,
  };
}

/**
 * The deployment status service: validates and stores events from every
 * source, and answers the read API from the store.
 */
export class DeploymentService {
  constructor(
    private readonly options: {
      store: DeploymentStore;
      config: PlatformDeployConfig;
      logger: LoggerService;
      /** Re-reads deployable entities from the catalog into the store. */
      syncEntities: () => Promise<void>;
      /** Tells the owners of a service that a production deploy failed. */
      notifyFailure?: (failure: {
        entity: DeployableEntity;
        event: NewDeploymentEvent;
      }) => Promise<void>;
    },
  ) {}

  get environments() {
    return this.options.config.environments;
  }

  private lastOnDemandSync = 0;

  /**
   * Validates a batch against the environments and the catalog and stores it.
   * If one event is invalid, nothing is stored. `fieldPrefix` names the
   * events in errors (`events[3].`).
   */
  async ingest(
    inputs: DeploymentEventInput[],
    options: {
      source: string;
      fieldPrefix?: (index: number) => string;
      now?: Date;
    },
  ): Promise<IngestResult> {
    const now = options.now ?? new Date();
    const prefix = options.fieldPrefix ?? (() => '');
    const { store, config } = this.options;

    const entities = new Map<string, DeployableEntity | undefined>();
    const events: NewDeploymentEvent[] = [];
    for (const [index, input] of inputs.entries()) {
      if (!config.environments.includes(input.environment)) {
        throw new InputError(
          `${prefix(index)}environment: unknown environment '${
            input.environment
          }', expected one of ${config.environments.join(', ')}`,
        );
      }
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(
          parseEntityRef(input.entityRef, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        );
      } catch {
        throw new InputError(
          `${prefix(index)}entityRef: not an entity reference`,
        );
      }
      if (!entities.has(entityRef)) {
        entities.set(entityRef, await this.findEntity(entityRef));
      }
      if (!entities.get(entityRef)) {
        throw new InputError(
          `${prefix(
            index,
          )}entityRef: no deployable entity '${entityRef}' in the catalog`,
        );
      }
      events.push({
        ...input,
        entityRef,
        commitTimestamp: input.commitTimestamp
          ? new Date(input.commitTimestamp)
          : undefined,
        startedAt: input.startedAt ? new Date(input.startedAt) : undefined,
        finishedAt: input.finishedAt ? new Date(input.finishedAt) : undefined,
        source: options.source,
        receivedAt: now,
      });
    }

    const result = await store.insertEvents(events);
    await this.notifyFailures(result.stored, entities);
    this.options.logger.info('Stored deployment events', {
      source: options.source,
      stored: result.stored.length,
      duplicates: result.duplicates,
    });
    return { stored: result.stored.length, duplicates: result.duplicates };
  }

  /**
   * A failed or rolled-back production deploy notifies the owning group once:
   * only newly stored events count, so a retried report does not notify again.
   * Demo history notifies nobody.
   */
  private async notifyFailures(
    stored: NewDeploymentEvent[],
    entities: Map<string, DeployableEntity | undefined>,
  ) {
    const { notifyFailure, config, logger } = this.options;
    if (!notifyFailure) return;
    for (const event of stored) {
      const entity = entities.get(event.entityRef);
      if (
        entity &&
        event.source !== 'demo' &&
        event.environment === config.productionEnvironment &&
        (event.status === 'failed' || event.status === 'rolled_back')
      ) {
        try {
          await notifyFailure({ entity, event });
        } catch (error) {
          logger.warn('Could not send deploy failure notification', {
            entityRef: event.entityRef,
            error: String(error),
          });
        }
      }
    }
  }

  private async findEntity(entityRef: string) {
    const known = await this.options.store.getEntity(entityRef);
    if (known) return known;
    // A service registered since the last sync: re-sync, at most every 30 s.
    if (Date.now() - this.lastOnDemandSync > 30_000) {
      this.lastOnDemandSync = Date.now();
      await this.options.syncEntities();
      return this.options.store.getEntity(entityRef);
    }
    return undefined;
  }

  async overview(query: OverviewQuery): Promise<OverviewResponse> {
    const page = await this.options.store.listOverview(query);
    return { environments: this.environments, ...page };
  }

  async entity(
    entityRef: string,
    history: { environment?: string; limit: number; offset: number },
  ): Promise<EntityDeploymentsResponse> {
    const { store } = this.options;
    const entity = await this.findEntity(entityRef);
    if (!entity) {
      throw new NotFoundError(`No deployable entity '${entityRef}'`);
    }
    const states = Object.fromEntries(
      (await store.getStates(entityRef)).map(s => [s.environment, s]),
    );
    const page = await store.listHistory({ entityRef, ...history });
    return {
      entityRef,
      environments: entity.environments,
      states,
      history: page.items,
      totalHistory: page.totalItems,
    };
  }

  async metrics(query: {
    entityRef?: string;
    system?: string;
    windowDays: number;
    now?: Date;
  }): Promise<MetricsResponse> {
    const to = query.now ?? new Date();
    const from = new Date(to.getTime() - query.windowDays * DAY_MS);
    const events = await this.options.store.listMetricsEvents({
      from,
      to,
      entityRef: query.entityRef,
      system: query.system,
    });
    return {
      scope: { entityRef: query.entityRef, system: query.system },
      ...computeMetrics({
        events,
        from,
        to,
        productionEnvironment: this.options.config.productionEnvironment,
      }),
    };
  }
}
