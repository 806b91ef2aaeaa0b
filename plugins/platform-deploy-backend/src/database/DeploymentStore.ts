import { migrateWithLock } from '@platform-portal/backstage-plugin-platform-node';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  DeploymentColor,
  DeploymentEvent,
  DeploymentStatus,
  EnvironmentState,
  HealthState,
  OverviewQuery,
  OverviewRow,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { applyEvent, StateRecord } from '../service/applyEvent';
import { MetricsEvent } from '../service/metrics';

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-platform-deploy-backend',
  'migrations',
);

/** An event ready to store: validated, with its times parsed. */
export type NewDeploymentEvent = {
  entityRef: string;
  environment: string;
  version: string;
  status: DeploymentStatus;
  idempotencyKey: string;
  commitSha?: string;
  commitTimestamp?: Date;
  color?: DeploymentColor;
  startedAt?: Date;
  finishedAt?: Date;
  runUrl?: string;
  actor?: string;
  source: string;
  receivedAt: Date;
};

/** Catalog metadata of a deployable entity, as the store keeps it. */
export type DeployableEntity = {
  entityRef: string;
  name: string;
  title?: string;
  system?: string;
  owner?: string;
  type?: string;
  environments: string[];
  healthUrls: Record<string, string>;
};

export type StoredEventResult = {
  stored: NewDeploymentEvent[];
  duplicates: number;
};

const toDate = (v: unknown): Date | undefined =>
  v === null || v === undefined ? undefined : new Date(v as string | number);
const toIso = (v: unknown): string | undefined => toDate(v)?.toISOString();
const orUndefined = <T>(v: T | null): T | undefined => v ?? undefined;

/** When an event happened: its end, else its start, else its arrival. */
export const eventTime = (e: NewDeploymentEvent) =>
  e.finishedAt ?? e.startedAt ?? e.receivedAt;

/**
 * Deployment events (append-only) and the current state per entity and
 * environment, on SQLite or PostgreSQL.
 */
export class DeploymentStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DeploymentStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
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
        const inserted = await tx('deploy_events')
          .insert({
            idempotency_key: event.idempotencyKey,
            entity_ref: event.entityRef,
            environment: event.environment,
            version: event.version,
            status: event.status,
            color: event.color ?? null,
            commit_sha: event.commitSha ?? null,
            commit_timestamp: event.commitTimestamp ?? null,
            started_at: event.startedAt ?? null,
            finished_at: event.finishedAt ?? null,
            event_at: eventTime(event),
            run_url: event.runUrl ?? null,
            actor: event.actor ?? null,
            source: event.source,
            received_at: event.receivedAt,
          })
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
    let query = tx('deploy_state').where(key).first();
    if (tx.client.config.client === 'pg') {
      query = query.forUpdate();
    }
    const row = await query;
    const current: StateRecord | undefined = row && {
      version: orUndefined(row.version),
      previousVersion: orUndefined(row.previous_version),
      liveColor: orUndefined(row.live_color),
      lastStatus: row.last_status,
      lastVersion: row.last_version,
      lastEventAt: toDate(row.last_event_at)!,
      deployedAt: toDate(row.deployed_at),
      deployedBy: orUndefined(row.deployed_by),
      runUrl: orUndefined(row.run_url),
    };
    const next = applyEvent(current, {
      version: event.version,
      status: event.status,
      color: event.color,
      eventAt: eventTime(event),
      actor: event.actor,
      runUrl: event.runUrl,
    });
    if (next === current) return;
    const values = {
      version: next.version ?? null,
      previous_version: next.previousVersion ?? null,
      live_color: next.liveColor ?? null,
      last_status: next.lastStatus,
      last_version: next.lastVersion,
      last_event_at: next.lastEventAt,
      deployed_at: next.deployedAt ?? null,
      deployed_by: next.deployedBy ?? null,
      run_url: next.runUrl ?? null,
      demo: event.source === 'demo',
    };
    await tx('deploy_state')
      .insert({ ...key, ...values })
      .onConflict(['entity_ref', 'environment'])
      .merge(values);
  }

  async countEvents(): Promise<number> {
    const [{ count }] = await this.db('deploy_events').count({ count: '*' });
    return Number(count);
  }

  /** Replaces the synced catalog metadata with `entities`. */
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

  /** Inserts or updates entities, 500 rows per statement. */
  async upsertEntities(
    entities: DeployableEntity[],
    now: Date,
    tx: Knex = this.db,
  ): Promise<void> {
    const rows = entities.map(e => ({
      entity_ref: e.entityRef,
      name: e.name,
      title: e.title ?? null,
      system: e.system ?? null,
      owner: e.owner ?? null,
      type: e.type ?? null,
      environments: JSON.stringify(e.environments),
      health_urls: JSON.stringify(e.healthUrls),
      synced_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await tx('deploy_entities')
        .insert(rows.slice(i, i + 500))
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
    const rows: any[] = [];
    for (let i = 0; i < entityRefs.length; i += 500) {
      rows.push(
        ...(await this.db('deploy_entities').whereIn(
          'entity_ref',
          entityRefs.slice(i, i + 500),
        )),
      );
    }
    return rows.map(r => this.toEntity(r));
  }

  async getEntity(entityRef: string): Promise<DeployableEntity | undefined> {
    const row = await this.db('deploy_entities')
      .where({ entity_ref: entityRef })
      .first();
    return row && this.toEntity(row);
  }

  async listEntities(): Promise<DeployableEntity[]> {
    const rows = await this.db('deploy_entities').orderBy('entity_ref');
    return rows.map(r => this.toEntity(r));
  }

  private toEntity(row: any): DeployableEntity {
    return {
      entityRef: row.entity_ref,
      name: row.name,
      title: orUndefined(row.title),
      system: orUndefined(row.system),
      owner: orUndefined(row.owner),
      type: orUndefined(row.type),
      environments: JSON.parse(row.environments),
      healthUrls: JSON.parse(row.health_urls),
    };
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

    const rows = await db
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
          title: orUndefined(row.title),
          system: orUndefined(row.system),
          owner: orUndefined(row.owner),
          type: orUndefined(row.type),
          environments: {},
        };
        items.set(row.entity_ref, item);
      }
      if (row.environment) {
        item.environments[row.environment] = this.toState(row);
      }
    }
    const totalItems = rows.length > 0 ? Number(rows[0].total_count) : 0;
    return { items: [...items.values()], totalItems };
  }

  async getStates(entityRef: string): Promise<EnvironmentState[]> {
    const rows = await this.db('deploy_state').where({ entity_ref: entityRef });
    return rows.map(r => this.toState(r));
  }

  private toState(row: any): EnvironmentState {
    return {
      environment: row.environment,
      version: orUndefined(row.version),
      previousVersion: orUndefined(row.previous_version),
      liveColor: orUndefined(row.live_color),
      lastStatus: row.last_status,
      lastVersion: row.last_version,
      lastEventAt: toIso(row.last_event_at)!,
      deployedAt: toIso(row.deployed_at),
      deployedBy: orUndefined(row.deployed_by),
      runUrl: orUndefined(row.run_url),
      health: (row.health ?? 'unknown') as HealthState,
      healthCheckedAt: toIso(row.health_checked_at),
      healthStatusCode: orUndefined(row.health_status_code),
      healthLatencyMs: orUndefined(row.health_latency_ms),
      demo: Boolean(row.demo),
    };
  }

  async listHistory(options: {
    entityRef: string;
    environment?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: DeploymentEvent[]; totalItems: number }> {
    const base = this.db('deploy_events').where({
      entity_ref: options.entityRef,
    });
    if (options.environment) base.where({ environment: options.environment });
    const rows = await base
      .clone()
      .select('*', this.db.raw('count(*) over () as total_count'))
      .orderBy('event_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .offset(options.offset);
    return {
      items: rows.map(r => this.toEvent(r)),
      totalItems: rows.length > 0 ? Number(rows[0].total_count) : 0,
    };
  }

  private toEvent(row: any): DeploymentEvent {
    return {
      id: Number(row.id),
      entityRef: row.entity_ref,
      environment: row.environment,
      version: row.version,
      status: row.status,
      idempotencyKey: row.idempotency_key,
      commitSha: orUndefined(row.commit_sha),
      commitTimestamp: toIso(row.commit_timestamp),
      color: orUndefined(row.color),
      startedAt: toIso(row.started_at),
      finishedAt: toIso(row.finished_at),
      runUrl: orUndefined(row.run_url),
      actor: orUndefined(row.actor),
      source: row.source,
      receivedAt: toIso(row.received_at)!,
    };
  }

  /** Events of a window for the metrics, for one entity, one system or all. */
  async listMetricsEvents(options: {
    from: Date;
    to: Date;
    entityRef?: string;
    system?: string;
  }): Promise<MetricsEvent[]> {
    const query = this.db('deploy_events as d')
      .select(
        'd.entity_ref',
        'd.environment',
        'd.status',
        'd.event_at',
        'd.started_at',
        'd.finished_at',
        'd.commit_timestamp',
      )
      .whereBetween('d.event_at', [options.from, options.to]);
    if (options.entityRef) query.where('d.entity_ref', options.entityRef);
    if (options.system) {
      query
        .join('deploy_entities as e', 'e.entity_ref', 'd.entity_ref')
        .where('e.system', options.system);
    }
    const rows = await query;
    return rows.map(r => ({
      entityRef: r.entity_ref,
      environment: r.environment,
      status: r.status,
      eventAt: toDate(r.event_at)!,
      startedAt: toDate(r.started_at),
      finishedAt: toDate(r.finished_at),
      commitTimestamp: toDate(r.commit_timestamp),
    }));
  }

  /** Records one probe result; `down` after `threshold` consecutive failures. */
  async recordHealth(options: {
    entityRef: string;
    environment: string;
    ok: boolean;
    statusCode?: number;
    latencyMs?: number;
    checkedAt: Date;
    threshold: number;
  }): Promise<HealthState | undefined> {
    const key = {
      entity_ref: options.entityRef,
      environment: options.environment,
    };
    return this.db.transaction(async tx => {
      const row = await tx('deploy_state').where(key).first();
      if (!row) return undefined;
      const failures = options.ok ? 0 : Number(row.health_failures) + 1;
      let health: HealthState = 'up';
      if (!options.ok) {
        health = failures >= options.threshold ? 'down' : row.health;
      }
      await tx('deploy_state')
        .where(key)
        .update({
          health,
          health_failures: failures,
          health_status_code: options.statusCode ?? null,
          health_latency_ms: options.latencyMs ?? null,
          health_checked_at: options.checkedAt,
        });
      return health;
    });
  }
}
