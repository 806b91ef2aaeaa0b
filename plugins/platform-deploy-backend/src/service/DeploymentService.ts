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
      /**
       * Reads entities that the store does not know yet (registered since the
       * last catalog sync) from the catalog, in one call; returns those that
       * exist and are deployable.
       */
      lookupEntities: (entityRefs: string[]) => Promise<DeployableEntity[]>;
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

  /** Refs the catalog did not know, with when it said so (a bounded negative cache). */
  private readonly misses = new Map<string, number>();

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

    const refs: string[] = [];
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
      refs.push(entityRef);
    }

    // One store query (and at most one catalog call) for the whole batch.
    const entities = await this.findEntities(refs);
    const events: NewDeploymentEvent[] = [];
    for (const [index, input] of inputs.entries()) {
      const entityRef = refs[index];
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
    entities: Map<string, DeployableEntity>,
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

  /**
   * Finds deployable entities in the store; refs it does not know are looked
   * up in the catalog in one call (a service registered since the last sync)
   * and stored. A ref the catalog did not know is not asked again for 30 s,
   * so a client repeating a bad ref does not load the catalog.
   */
  private async findEntities(
    entityRefs: string[],
  ): Promise<Map<string, DeployableEntity>> {
    const { store, lookupEntities } = this.options;
    const unique = [...new Set(entityRefs)];
    const found = new Map(
      (await store.getEntities(unique)).map(e => [e.entityRef, e]),
    );
    const now = Date.now();
    const unknown = unique.filter(
      ref => !found.has(ref) && now - (this.misses.get(ref) ?? 0) > 30_000,
    );
    if (unknown.length > 0) {
      const fetched = await lookupEntities(unknown);
      if (fetched.length > 0) {
        await store.upsertEntities(fetched, new Date());
      }
      for (const entity of fetched) {
        found.set(entity.entityRef, entity);
      }
      if (this.misses.size > 10_000) this.misses.clear();
      for (const ref of unknown) {
        if (!found.has(ref)) this.misses.set(ref, now);
      }
    }
    return found;
  }

  private async findEntity(entityRef: string) {
    return (await this.findEntities([entityRef])).get(entityRef);
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
