import { migrateWithLock } from '@platform-portal/backstage-plugin-platform-node';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  DeploymentEvent,
  EnvironmentState,
  HealthState,
  OverviewQuery,
  OverviewRow,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { applyEvent } from '../domain/applyEvent';
import {
  DeployableEntity,
  MetricsEvent,
  NewDeploymentEvent,
  ProbeHealth,
  StoredEventResult,
  eventTime,
} from '../types';
import {
  EntityRow,
  EventRow,
  StateColumns,
  StateRow,
  entityToRow,
  eventToRow,
  rowToEntity,
  rowToEvent,
  rowToState,
  stateRecordToRow,
  toMetricsEvent,
  toStateRecord,
} from './rows';

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-platform-deploy-backend',
  'migrations',
);

/** Rows per statement, well below SQLite's bound-parameter limit. */
const CHUNK = 500;

/** A row of the overview query: an entity's columns and one of its states (or none). */
type OverviewJoinRow = Pick<
  EntityRow,
  'entity_ref' | 'title' | 'system' | 'owner' | 'type'
> & { total_count: number | string; sort_key: string | null } & (
    | StateColumns
    | { environment: null }
  );

/**
 * Deployment events (append-only), the current state per entity and
 * environment, and the catalog metadata of deployable entities, on SQLite
 * or PostgreSQL. It persists; the rules live in `domain/`: the state is the
 * fold of the events by `applyEvent`, kept in the same transaction as the
 * events, and health is whatever the prober's rule decided.
 */
export class DeploymentStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<DeploymentStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      // a crashed or concurrent replica cannot block the start
      await migrateWithLock(db, { directory: migrationsDir });
    }
    return new DeploymentStore(db);
  }

  /**
   * Stores events whose idempotency key is new and folds them into the
   * current state, all in one transaction. A key seen before is skipped.
   */
  async insertEvents(events: NewDeploymentEvent[]): Promise<StoredEventResult> {
    return this.db.transaction(async tx => {
      const stored: NewDeploymentEvent[] = [];
      for (const event of events) {
        const inserted = await tx<EventRow>('deploy_events')
          .insert(eventToRow(event))
          .onConflict('idempotency_key')
          .ignore()
          .returning('id');
        if (inserted.length === 0) continue;
        stored.push(event);
        await this.foldIntoState(tx, event);
      }
      return { stored, duplicates: events.length - stored.length };
    });
  }

  private async foldIntoState(tx: Knex.Transaction, event: NewDeploymentEvent) {
    const key = { entity_ref: event.entityRef, environment: event.environment };
    let query = tx<StateRow>('deploy_state').where(key).first();
    if (tx.client.config.client === 'pg') {
      query = query.forUpdate();
    }
    const row: StateRow | undefined = await query;
    const current = row && toStateRecord(rowToState(row));
    const next = applyEvent(current, {
      version: event.version,
      status: event.status,
      color: event.color,
      eventAt: eventTime(event),
      actor: event.actor,
      runUrl: event.runUrl,
    });
    if (next === current) return;
    const values = { ...stateRecordToRow(next), demo: event.source === 'demo' };
    await tx<StateRow>('deploy_state')
      .insert({ ...key, ...values })
      .onConflict(['entity_ref', 'environment'])
      .merge(values);
  }

  async countEvents(): Promise<number> {
    const [{ count }] = await this.db('deploy_events').count({ count: '*' });
    return Number(count);
  }

  /**
   * Replaces the set of deployable entities with the catalog's: upserts each
   * and deletes those the catalog no longer has (their events stay).
   */
  async syncEntities(entities: DeployableEntity[], now: Date): Promise<void> {
    await this.db.transaction(async tx => {
      await this.upsertEntities(entities, now, tx);
      await tx('deploy_entities').where('synced_at', '<', now).delete();
    });
  }

  /** Inserts or updates entities, in chunks. */
  async upsertEntities(
    entities: DeployableEntity[],
    now: Date,
    tx: Knex = this.db,
  ): Promise<void> {
    const rows = entities.map(e => entityToRow(e, now));
    for (let i = 0; i < rows.length; i += CHUNK) {
      await tx<EntityRow>('deploy_entities')
        .insert(rows.slice(i, i + CHUNK))
        .onConflict('entity_ref')
        .merge([
          'name',
          'title',
          'system',
          'owner',
          'type',
          'environments',
          'health_urls',
          'synced_at',
        ]);
    }
  }

  async getEntities(entityRefs: string[]): Promise<DeployableEntity[]> {
    const rows: EntityRow[] = [];
    for (let i = 0; i < entityRefs.length; i += CHUNK) {
      rows.push(
        ...(await this.db<EntityRow>('deploy_entities').whereIn(
          'entity_ref',
          entityRefs.slice(i, i + CHUNK),
        )),
      );
    }
    return rows.map(rowToEntity);
  }

  async listEntities(): Promise<DeployableEntity[]> {
    const rows: EntityRow[] = await this.db<EntityRow>(
      'deploy_entities',
    ).orderBy('entity_ref');
    return rows.map(rowToEntity);
  }

  /**
   * One page of the overview: entities (filtered, sorted, paginated) with
   * their state in every environment, in one query.
   */
  async listOverview(
    query: OverviewQuery,
  ): Promise<{ items: OverviewRow[]; totalItems: number }> {
    const db = this.db;
    const filtered = db('deploy_entities as e');
    if (query.system) filtered.where('e.system', query.system);
    if (query.owner) filtered.where('e.owner', query.owner);
    if (query.type) filtered.where('e.type', query.type);
    if (query.q) {
      const like = `%${query.q.toLocaleLowerCase('en-US')}%`;
      filtered.where(w =>
        w
          .whereRaw('lower(e.name) like ?', [like])
          .orWhereRaw('lower(coalesce(e.title, ?)) like ?', ['', like]),
      );
    }
    if (query.status) {
      // An uncorrelated IN: a correlated EXISTS made SQLite scan the state
      // table once per entity (9 s at 10,000 entities, see bench/RESULTS.md).
      filtered.whereIn(
        'e.entity_ref',
        db('deploy_state')
          .select('entity_ref')
          .where('last_status', query.status),
      );
    }
    const page = filtered
      .select('e.*', db.raw('count(*) over () as total_count'))
      .orderBy(`e.${query.orderBy}`, query.order)
      .orderBy('e.entity_ref', 'asc')
      .limit(query.limit)
      .offset(query.offset);

    const rows: OverviewJoinRow[] = await db
      .from(page.as('p'))
      .leftJoin('deploy_state as s', 's.entity_ref', 'p.entity_ref')
      .select(
        'p.entity_ref',
        'p.title',
        'p.system',
        'p.owner',
        'p.type',
        'p.total_count',
        `p.${query.orderBy} as sort_key`,
        's.environment',
        's.version',
        's.previous_version',
        's.live_color',
        's.last_status',
        's.last_version',
        's.last_event_at',
        's.deployed_at',
        's.deployed_by',
        's.run_url',
        's.health',
        's.health_checked_at',
        's.health_status_code',
        's.health_latency_ms',
        's.demo',
      )
      .orderBy('sort_key', query.order)
      .orderBy('p.entity_ref', 'asc');

    const items = new Map<string, OverviewRow>();
    for (const row of rows) {
      let item = items.get(row.entity_ref);
      if (!item) {
        item = {
          entityRef: row.entity_ref,
          title: row.title ?? undefined,
          system: row.system ?? undefined,
          owner: row.owner ?? undefined,
          type: row.type ?? undefined,
          environments: {},
        };
        items.set(row.entity_ref, item);
      }
      if (row.environment !== null) {
        item.environments[row.environment] = rowToState(row);
      }
    }
    const totalItems = rows.length > 0 ? Number(rows[0].total_count) : 0;
    return { items: [...items.values()], totalItems };
  }

  async getStates(entityRef: string): Promise<EnvironmentState[]> {
    const rows: StateRow[] = await this.db<StateRow>('deploy_state').where({
      entity_ref: entityRef,
    });
    return rows.map(rowToState);
  }

  async listHistory(options: {
    entityRef: string;
    environment?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: DeploymentEvent[]; totalItems: number }> {
    const base = this.db<EventRow>('deploy_events').where({
      entity_ref: options.entityRef,
    });
    if (options.environment) base.where({ environment: options.environment });
    const rows: Array<EventRow & { total_count: number | string }> = await base
      .clone()
      .select('*', this.db.raw('count(*) over () as total_count'))
      .orderBy('event_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset);
    return {
      items: rows.map(rowToEvent),
      totalItems: rows.length > 0 ? Number(rows[0].total_count) : 0,
    };
  }

  /** Events of a window for the metrics, for one entity, one system or all. */
  async listMetricsEvents(options: {
    from: Date;
    to: Date;
    entityRef?: string;
    system?: string;
  }): Promise<MetricsEvent[]> {
    const query = this.db<EventRow>('deploy_events as d')
      .select('d.*')
      .whereBetween('d.event_at', [options.from, options.to]);
    if (options.entityRef) query.where('d.entity_ref', options.entityRef);
    if (options.system) {
      query
        .join('deploy_entities as e', 'e.entity_ref', 'd.entity_ref')
        .where('e.system', options.system);
    }
    const rows: EventRow[] = await query;
    return rows.map(row => toMetricsEvent(rowToEvent(row)));
  }

  /**
   * Records one probe of an entity's health URL in one environment, in one
   * transaction: `next` decides the health from the previous one (the
   * prober's rule, `domain/health.ts`); the store keeps what it decided.
   * Returns the new health, or undefined when the entity has no state there.
   */
  async recordHealth(options: {
    entityRef: string;
    environment: string;
    statusCode?: number;
    latencyMs?: number;
    checkedAt: Date;
    next: (previous: ProbeHealth) => ProbeHealth;
  }): Promise<HealthState | undefined> {
    const key = {
      entity_ref: options.entityRef,
      environment: options.environment,
    };
    return this.db.transaction(async tx => {
      const row: StateRow | undefined = await tx<StateRow>('deploy_state')
        .where(key)
        .first();
      if (!row) return undefined;
      const { health, consecutiveFailures } = options.next({
        health: rowToState(row).health,
        consecutiveFailures: Number(row.health_failures),
      });
      await tx<StateRow>('deploy_state')
        .where(key)
        .update({
          health,
          health_failures: consecutiveFailures,
          health_status_code: options.statusCode ?? null,
          health_latency_ms: options.latencyMs ?? null,
          health_checked_at: options.checkedAt,
        });
      return health;
    });
  }
}
