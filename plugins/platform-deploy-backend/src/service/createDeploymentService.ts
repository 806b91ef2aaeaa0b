import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { describeIssues } from '@platform-portal/backstage-plugin-platform-node';
import { DeploymentStore } from '../database/DeploymentStore';
import {
  DeployableEntity,
  EntityFactsAggregate,
  NewDeploymentEvent,
} from '../types';
import {
  EntityDeployFacts,
  MetricsResponse,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { DeployFailureNotifier } from '../notifications/deployFailureNotifications';
import { computeMetrics } from './metrics';
import { MetricsSnapshots } from './MetricsSnapshots';
import { DeploymentService, MetricsQuery } from './types';

const DAY_MS = 24 * 3600 * 1000;
/** How long a ref the catalog did not know is not asked again. */
const MISS_TTL_MS = 30_000;
/** Bound of the negative cache: beyond it, it starts again empty. */
const MAX_MISSES = 10_000;

/** One field error in the kit's format: `events[3].environment: ...`. */
function fieldError(prefix: string, field: string, message: string) {
  return new InputError(describeIssues([{ path: [field], message }], prefix));
}

/** `events[3].entityRef`, or `entityRef` for a single event. */
function fieldPath(prefix: string, field: string) {
  return prefix ? `${prefix}.${field}` : field;
}

/**
 * The deployment status service: validates and stores events from every
 * source, and answers the read API from the store.
 */
export function createDeploymentService(options: {
  store: DeploymentStore;
  logger: LoggerService;
  /** The configured environments, in promotion order. */
  environments: string[];
  /** The environment the metrics are about. */
  productionEnvironment: string;
  /**
   * Reads entities that the store does not know yet (registered since the
   * last catalog sync) from the catalog, in one call; returns those that
   * exist and are deployable.
   */
  lookupEntities: (entityRefs: string[]) => Promise<DeployableEntity[]>;
  /** Tells owners about failed production deploys. */
  notifier?: DeployFailureNotifier;
  /**
   * Keeps the metrics of scopes that are slow to compute for a short
   * while; default: `MetricsSnapshots`' defaults.
   */
  metricsSnapshots?: MetricsSnapshots<MetricsResponse>;
  /** The clock; tests pass their own. */
  now?: () => Date;
}): DeploymentService {
  const { store, logger, environments, lookupEntities, notifier } = options;
  const now = options.now ?? (() => new Date());
  const metricsSnapshots =
    options.metricsSnapshots ??
    new MetricsSnapshots({ logger, now: () => now().getTime() });

  /** The metrics of a scope, computed in SQL now. */
  /** The window of `windowDays` that ends at `now` (default: the clock). */
  const windowOf = (query: { windowDays: number; now?: Date }) => {
    const to = query.now ?? now();
    return { from: new Date(to.getTime() - query.windowDays * DAY_MS), to };
  };
  const computeMetricsFor = async (
    query: MetricsQuery,
  ): Promise<MetricsResponse> => {
    const { from, to } = windowOf(query);
    const aggregates = await store.metricsAggregates({
      from,
      to,
      environment: options.productionEnvironment,
      entityRef: query.entityRef,
      system: query.system,
    });
    return {
      scope: { entityRef: query.entityRef, system: query.system },
      ...computeMetrics({ aggregates, from, to }),
    };
  };
  const metricsKey = (query: MetricsQuery) =>
    JSON.stringify([
      query.entityRef ?? null,
      query.system ?? null,
      query.windowDays,
    ]);

  /** Refs the catalog did not know, with when it said so (ms). */
  const misses = new Map<string, number>();

  /**
   * Finds deployable entities in the store; refs it does not know are looked
   * up in the catalog in one call (a service registered since the last sync)
   * and stored. A ref the catalog did not know is not asked again for 30 s,
   * so a client repeating a bad ref does not load the catalog.
   */
  async function findEntities(
    entityRefs: string[],
  ): Promise<Map<string, DeployableEntity>> {
    const unique = [...new Set(entityRefs)];
    const found = new Map(
      (await store.getEntities(unique)).map(e => [e.entityRef, e]),
    );
    const at = now().getTime();
    const unknown = unique.filter(
      ref =>
        !found.has(ref) && at - (misses.get(ref) ?? -Infinity) > MISS_TTL_MS,
    );
    if (unknown.length > 0) {
      const fetched = await lookupEntities(unknown);
      if (fetched.length > 0) {
        await store.upsertEntities(fetched, now());
      }
      for (const entity of fetched) {
        found.set(entity.entityRef, entity);
      }
      if (misses.size > MAX_MISSES) misses.clear();
      for (const ref of unknown) {
        if (!found.has(ref)) misses.set(ref, at);
      }
    }
    return found;
  }

  return {
    environments,

    async ingest(inputs, ingestOptions) {
      const receivedAt = now();
      const prefix = ingestOptions.fieldPrefix ?? (() => '');

      const refs: string[] = [];
      for (const [index, input] of inputs.entries()) {
        if (!environments.includes(input.environment)) {
          throw fieldError(
            prefix(index),
            'environment',
            `unknown environment '${
              input.environment
            }', expected one of ${environments.join(', ')}`,
          );
        }
        try {
          refs.push(
            stringifyEntityRef(
              parseEntityRef(input.entityRef, {
                defaultKind: 'component',
                defaultNamespace: 'default',
              }),
            ),
          );
        } catch {
          throw fieldError(
            prefix(index),
            'entityRef',
            'not an entity reference',
          );
        }
      }

      // One store query (and at most one catalog call) for the whole batch.
      const entities = await findEntities(refs);
      const events: NewDeploymentEvent[] = inputs.map((input, index) => {
        const entityRef = refs[index];
        if (!entities.get(entityRef)) {
          throw fieldError(
            prefix(index),
            'entityRef',
            `no deployable entity '${entityRef}' in the catalog`,
          );
        }
        return {
          ...input,
          entityRef,
          commitTimestamp: input.commitTimestamp
            ? new Date(input.commitTimestamp)
            : undefined,
          startedAt: input.startedAt ? new Date(input.startedAt) : undefined,
          finishedAt: input.finishedAt ? new Date(input.finishedAt) : undefined,
          source: ingestOptions.source,
          receivedAt,
        };
      });

      // Who may report for what, before anything is stored.
      await ingestOptions.authorize?.(
        events.map((event, index) => ({
          entityRef: event.entityRef,
          owner: entities.get(event.entityRef)?.owner,
          field: fieldPath(prefix(index), 'entityRef'),
        })),
      );

      const result = await store.insertEvents(events);
      if ('conflict' in result) {
        const { index, idempotencyKey, fields } = result.conflict;
        throw new ConflictError(
          `${fieldPath(
            prefix(index),
            'idempotencyKey',
          )}: '${idempotencyKey}' was reported before with other content (${fields.join(
            ', ',
          )} differ); a retry must repeat the event as it was, a new event needs a new key`,
        );
      }
      await notifier?.notifyStored(result.stored, entities);
      logger.info('Stored deployment events', {
        source: ingestOptions.source,
        stored: result.stored.length,
        duplicates: result.duplicates,
      });
      return { stored: result.stored.length, duplicates: result.duplicates };
    },

    async overview(query) {
      const page = await store.listOverview(query);
      return { environments, ...page };
    },

    async entity(entityRef, history) {
      const entity = (await findEntities([entityRef])).get(entityRef);
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
    },

    async metrics(query) {
      // a window ending when the caller says is computed for it
      if (query.now) return computeMetricsFor(query);
      return metricsSnapshots.get(metricsKey(query), () =>
        computeMetricsFor(query),
      );
    },

    async warmMetrics(windows) {
      const started = Date.now();
      for (const windowDays of windows) {
        const query = { windowDays };
        await metricsSnapshots.refresh(metricsKey(query), () =>
          computeMetricsFor(query),
        );
      }
      return { durationMs: Date.now() - started };
    },

    async entityFacts(query) {
      const { from, to } = windowOf(query);
      const rows = await store.entityFactsAggregates({
        from,
        to,
        environment: options.productionEnvironment,
      });
      return {
        environment: options.productionEnvironment,
        windowDays: query.windowDays,
        from: from.toISOString(),
        to: to.toISOString(),
        items: rows.map(row => toEntityDeployFacts(row, query.windowDays, to)),
      };
    },
  };
}

const round = (value: number, digits: number) =>
  Math.round(value * 10 ** digits) / 10 ** digits;

/** The one place an entity's aggregate becomes its deployment facts. */
export function toEntityDeployFacts(
  row: EntityFactsAggregate,
  windowDays: number,
  at: Date,
): EntityDeployFacts {
  const ratio = (n: number) =>
    row.terminal > 0 ? round(n / row.terminal, 4) : null;
  return {
    entityRef: row.entityRef,
    deploysToEnvironment: row.inEnvironment,
    ...(row.type ? { type: row.type } : {}),
    productionDeploysPerWeek: round(row.succeeded / (windowDays / 7), 1),
    terminalDeploys: row.terminal,
    failedDeploys: row.failures,
    successRate: ratio(row.succeeded),
    p90DurationSeconds: row.p90DurationSeconds,
    changeFailureRate: ratio(row.failures),
    timeToRestoreSeconds: row.timeToRestoreSeconds,
    lastProductionDeployAt: row.deployedAt?.toISOString(),
    lastProductionDeployAgeDays: row.deployedAt
      ? round((at.getTime() - row.deployedAt.getTime()) / DAY_MS, 1)
      : null,
    healthProbeConfigured: row.healthUrlConfigured,
    health: row.health ?? 'none',
  };
}
