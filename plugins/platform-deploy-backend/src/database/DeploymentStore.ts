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
import { insertAndFoldEvent } from './foldStatement';
import {
  DeployableEntity,
  EntityFactsAggregate,
  IdempotencyConflict,
  MetricsAggregates,
  NewDeploymentEvent,
  ProbeHealth,
  StoredEventResult,
  EventContent,
  eventTime,
} from '../types';
import {
  DbTime,
  EntityRow,
  EventRow,
  StateColumns,
  StateRow,
  contentDifference,
  entityToRow,
  eventContent,
  eventToRow,
  rowToEntity,
  rowToEvent,
  rowToState,
  stateRecordToRow,
  toStateRecord,
} from './rows';

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-platform-deploy-backend',
  'migrations',
);

/** Rows per statement, well below SQLite's bound-parameter limit. */
const CHUNK = 500;

const DAY_MS = 24 * 3600 * 1000;

/**
 * How long an entity read from `deploy_entities` is answered from memory:
 * every single-event report looks its entity up. Writes through this store
 * empty the cache at once; a sync by another replica shows within this time
 * (the table itself follows the catalog only at each sync).
 */
const ENTITY_CACHE_MS = 10_000;
/** Bound of the entity cache: beyond it, it starts again empty. */
const ENTITY_CACHE_MAX = 100_000;

/** Thrown inside the insert transaction to roll it back on a key conflict. */
class ConflictRollback extends Error {
  constructor(readonly conflict: IdempotencyConflict) {
    super('idempotency conflict');
  }
}

/** Nearest-rank quantiles of the metrics, in ms as the driver returns them. */
type Quantiles = Record<
  'p50' | 'p90' | 'lead' | 'restore',
  number | string | null
>;

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
  /** Entities recently read, by ref, with when they stop being fresh (ms). */
  private readonly entityCache = new Map<
    string,
    { entity: DeployableEntity; until: number }
  >();

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
   * Stores events whose idempotency key is new for their source and folds
   * them into the current state, all in one transaction. A key the source
   * reported before with the same content (`eventContent`) is a duplicate
   * and skipped; with other content it is a conflict: nothing of the batch
   * is stored, and the result names the event and the fields that differ.
   * Compared inside the transaction, after the insert met the unique key, so
   * two concurrent reports of one key cannot both pass.
   */
  async insertEvents(events: NewDeploymentEvent[]): Promise<StoredEventResult> {
    if (events.length === 1 && this.db.client.config.client === 'pg') {
      return this.insertOneEvent(events[0]);
    }
    try {
      return await this.db.transaction(async tx => {
        const stored: NewDeploymentEvent[] = [];
        for (const [index, event] of events.entries()) {
          const row = eventToRow(event);
          const state = await this.insertEvent(tx, row);
          if (state === 'duplicate') {
            const fields = await this.differenceFromKnown(tx, row);
            if (fields.length > 0) {
              throw new ConflictRollback({
                index,
                idempotencyKey: event.idempotencyKey,
                fields,
              });
            }
            continue;
          }
          stored.push(event);
          await this.foldIntoState(tx, event, state);
        }
        return { stored, duplicates: events.length - stored.length };
      });
    } catch (error) {
      if (error instanceof ConflictRollback)
        return { conflict: error.conflict };
      throw error;
    }
  }

  /**
   * A single-event report on PostgreSQL: one statement (`insertAndFoldEvent`)
   * unless the key is a duplicate, which is then compared as in a batch.
   */
  private async insertOneEvent(
    event: NewDeploymentEvent,
  ): Promise<StoredEventResult> {
    const row = eventToRow(event);
    if (
      await insertAndFoldEvent(this.db, row, { demo: row.source === 'demo' })
    ) {
      return { stored: [event], duplicates: 0 };
    }
    const fields = await this.differenceFromKnown(this.db, row);
    if (fields.length > 0) {
      return {
        conflict: { index: 0, idempotencyKey: event.idempotencyKey, fields },
      };
    }
    return { stored: [], duplicates: 1 };
  }

  /**
   * The fields in which the stored event of a duplicate key differs from
   * `row`: none for a retry of the same event.
   */
  private async differenceFromKnown(
    db: Knex,
    row: Omit<EventRow, 'id'>,
  ): Promise<Array<keyof EventContent>> {
    const known: EventRow | undefined = await db<EventRow>('deploy_events')
      .where({ source: row.source, idempotency_key: row.idempotency_key })
      .first();
    return known
      ? contentDifference(eventContent(known), eventContent(row))
      : [];
  }

  /**
   * Inserts an event unless its source reported its key before
   * ('duplicate'); else returns the current state row of its entity and
   * environment (undefined if none), locked on PostgreSQL until the
   * transaction ends. On PostgreSQL that is one statement, the insert in a
   * CTE beside the locking read: a single-event report is four round trips
   * (begin, this, the state upsert, commit).
   */
  private async insertEvent(
    tx: Knex.Transaction,
    row: Omit<EventRow, 'id'>,
  ): Promise<'duplicate' | StateRow | undefined> {
    const insert = tx<EventRow>('deploy_events')
      .insert(row)
      .onConflict(['source', 'idempotency_key'])
      .ignore()
      .returning('id');
    const key = { entity_ref: row.entity_ref, environment: row.environment };
    if (tx.client.config.client !== 'pg') {
      if ((await insert).length === 0) return 'duplicate';
      return tx<StateRow>('deploy_state').where(key).first();
    }
    const locked = tx('deploy_state as s')
      .select(tx.raw('row_to_json(s)'))
      .where('s.entity_ref', key.entity_ref)
      .where('s.environment', key.environment)
      .forUpdate();
    const [result]: Array<{ id: string | null; state: StateRow | null }> =
      await tx
        .with('ins', insert)
        .select(
          tx.raw('(select id from ins) as id'),
          tx.raw('(?) as state', [locked]),
        );
    if (result.id === null) return 'duplicate';
    return result.state ?? undefined;
  }

  /** Folds a stored event into the state row it was stored beside. */
  private async foldIntoState(
    tx: Knex.Transaction,
    event: NewDeploymentEvent,
    row: StateRow | undefined,
  ) {
    const key = { entity_ref: event.entityRef, environment: event.environment };
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
    this.entityCache.clear();
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
          'trusted',
        ]);
    }
    this.entityCache.clear();
  }

  /**
   * The deployable entities among `entityRefs`: those read in the last
   * `ENTITY_CACHE_MS` from memory, the others in one query per chunk.
   */
  async getEntities(entityRefs: string[]): Promise<DeployableEntity[]> {
    const at = Date.now();
    const found: DeployableEntity[] = [];
    const missing: string[] = [];
    for (const ref of entityRefs) {
      const cached = this.entityCache.get(ref);
      if (cached && cached.until > at) found.push(cached.entity);
      else missing.push(ref);
    }
    const rows: EntityRow[] = [];
    for (let i = 0; i < missing.length; i += CHUNK) {
      rows.push(
        ...(await this.db<EntityRow>('deploy_entities').whereIn(
          'entity_ref',
          missing.slice(i, i + CHUNK),
        )),
      );
    }
    if (this.entityCache.size + rows.length > ENTITY_CACHE_MAX) {
      this.entityCache.clear();
    }
    for (const row of rows) {
      const entity = rowToEntity(row);
      this.entityCache.set(entity.entityRef, {
        entity,
        until: at + ENTITY_CACHE_MS,
      });
      found.push(entity);
    }
    return found;
  }

  /** Every deployable entity, or only those from trusted locations. */
  async listEntities(
    options: { trustedOnly?: boolean; withoutEvents?: boolean } = {},
  ): Promise<DeployableEntity[]> {
    const query = this.db<EntityRow>('deploy_entities as e').orderBy(
      'e.entity_ref',
    );
    if (options.trustedOnly) query.where('e.trusted', true);
    if (options.withoutEvents) {
      query.whereNotExists(
        this.db('deploy_events as d')
          .select(this.db.raw('1'))
          .whereRaw('d.entity_ref = e.entity_ref'),
      );
    }
    const rows: EntityRow[] = await query;
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
    // With a status filter, the entities are joined to the distinct refs of
    // the matching states: PostgreSQL then hashes the few thousand matches.
    // An IN let it walk the name index of every entity with a lookup of its
    // states each (760 ms at 100,000 entities, see bench/RESULTS.md), and a
    // correlated EXISTS made SQLite scan the state table once per entity.
    const filtered = query.status
      ? db(
          db('deploy_state')
            .distinct('entity_ref')
            .where('last_status', query.status)
            .as('f'),
        ).join('deploy_entities as e', 'e.entity_ref', 'f.entity_ref')
      : db('deploy_entities as e');
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

  /**
   * What the metrics need of a window's terminal events (not `started`) in
   * one environment, for one entity, one system or all, aggregated in SQL in
   * two statements over one scan each: the counts per UTC day (at most one
   * row per day of the window; the totals are their sums) and, in one row,
   * the nearest-rank quantiles (`rank = ceil(q * n)`) of durations, lead
   * times and times to restore (each failure to the entity's next strictly
   * later success in the window, a window function over the same scan).
   * PostgreSQL ranks with `percentile_disc`, SQLite with `row_number()`
   * over the same order; `domain/metricsAggregates.ts` is the same
   * definition in JS, and the tests hold both to it on random events.
   */
  async metricsAggregates(options: {
    from: Date;
    to: Date;
    environment: string;
    entityRef?: string;
    system?: string;
  }): Promise<MetricsAggregates> {
    const db = this.db;
    const { ms, day } = this.timeSql();
    const terminal = () => {
      const query = db('deploy_events as d')
        .where('d.environment', options.environment)
        .whereBetween('d.event_at', [options.from, options.to])
        .whereNot('d.status', 'started');
      if (options.entityRef) {
        query.where('d.entity_ref', options.entityRef);
      }
      if (options.system) {
        query
          .join('deploy_entities as e', 'e.entity_ref', 'd.entity_ref')
          .where('e.system', options.system);
      }
      return query;
    };

    const daily: Array<{
      day: number | string;
      succeeded: number | string;
      failures: number | string;
      durations: number | string;
      lead_times: number | string;
      total: number | string;
    }> = await db
      .from(
        terminal()
          .select(
            db.raw(`${day('d.event_at')} as day`),
            db.raw(
              "case when d.status = 'succeeded' then 1 else 0 end as succeeded",
            ),
            db.raw(
              "case when d.status in ('failed', 'rolled_back') then 1 else 0 end as failures",
            ),
            db.raw(
              'case when d.started_at is not null and d.finished_at is not null then 1 else 0 end as durations',
            ),
            db.raw(
              "case when d.status = 'succeeded' and d.commit_timestamp is not null then 1 else 0 end as lead_times",
            ),
          )
          .as('t'),
      )
      .select(
        't.day',
        db.raw('sum(t.succeeded) as succeeded'),
        db.raw('sum(t.failures) as failures'),
        db.raw('sum(t.durations) as durations'),
        db.raw('sum(t.lead_times) as lead_times'),
        db.raw('count(*) as total'),
      )
      .groupBy('t.day')
      .orderBy('t.day');
    const sum = (key: keyof (typeof daily)[number]) =>
      daily.reduce((n, row) => n + Number(row[key]), 0);
    const counts = {
      terminal: sum('total'),
      succeeded: sum('succeeded'),
      failures: sum('failures'),
    };

    let quantiles: Quantiles = {
      p50: null,
      p90: null,
      lead: null,
      restore: null,
    };
    if (counts.terminal > 0) {
      // one row per terminal event: its duration, lead time and, for a
      // failure, the time to the entity's next strictly later success
      const values = db.from(
        terminal()
          .select(
            db.raw(
              `case when d.started_at is not null and d.finished_at is not null then ${ms(
                'd.finished_at',
              )} - ${ms('d.started_at')} end as dur`,
            ),
            db.raw(
              `case when d.status = 'succeeded' and d.commit_timestamp is not null then ${ms(
                'coalesce(d.finished_at, d.event_at)',
              )} - ${ms('d.commit_timestamp')} end as lead`,
            ),
            db.raw(
              `case when d.status in ('failed', 'rolled_back') then min(case when d.status = 'succeeded' then ${ms(
                'd.event_at',
              )} end) over (partition by d.entity_ref order by ${ms(
                'd.event_at',
              )} range between current row and unbounded following exclude group) - ${ms(
                'd.event_at',
              )} end as restore`,
            ),
          )
          .as('v'),
      );
      quantiles =
        db.client.config.client === 'pg'
          ? await this.quantilesPostgres(values)
          : await this.quantilesSqlite(values);
    }
    const seconds = (v: number | string | null) =>
      v === null || v === undefined ? null : Number(v) / 1000;

    return {
      ...counts,
      durationSeconds: {
        p50: seconds(quantiles.p50),
        p90: seconds(quantiles.p90),
      },
      leadTimeSeconds: { p50: seconds(quantiles.lead) },
      timeToRestoreSeconds: { p50: seconds(quantiles.restore) },
      daily: daily.map(row => ({
        day: new Date(Number(row.day) * DAY_MS),
        succeeded: Number(row.succeeded),
        failed: Number(row.total) - Number(row.succeeded),
      })),
    };
  }

  /** Nearest-rank quantiles of `values` (`dur`, `lead`, `restore`, ms): `percentile_disc`. */
  private async quantilesPostgres(
    values: Knex.QueryBuilder,
  ): Promise<Quantiles> {
    const [row] = await values.select(
      this.db.raw('percentile_disc(0.5) within group (order by v.dur) as p50'),
      this.db.raw('percentile_disc(0.9) within group (order by v.dur) as p90'),
      this.db.raw(
        'percentile_disc(0.5) within group (order by v.lead) as lead',
      ),
      this.db.raw(
        'percentile_disc(0.5) within group (order by v.restore) as restore',
      ),
    );
    return row;
  }

  /**
   * The same ranks on SQLite, which has no `percentile_disc`: each column
   * numbered in its order (nulls last), the value whose number is
   * `ceil(q * n)` of its `n` non-null values.
   */
  private async quantilesSqlite(values: Knex.QueryBuilder): Promise<Quantiles> {
    const db = this.db;
    const ranked = (column: string) =>
      [
        `v.${column}`,
        `row_number() over (order by v.${column} is null, v.${column}) as ${column}_rn`,
        `count(v.${column}) over () as ${column}_n`,
      ].join(', ');
    const pick = (column: string, rank: string) =>
      `max(case when r.${column}_rn = ${rank} then r.${column} end)`;
    const [row] = await db
      .from(
        values
          .select(db.raw(['dur', 'lead', 'restore'].map(ranked).join(', ')))
          .as('r'),
      )
      .select(
        db.raw(`${pick('dur', '(r.dur_n + 1) / 2')} as p50`),
        db.raw(`${pick('dur', '(9 * r.dur_n + 9) / 10')} as p90`),
        db.raw(`${pick('lead', '(r.lead_n + 1) / 2')} as lead`),
        db.raw(`${pick('restore', '(r.restore_n + 1) / 2')} as restore`),
      );
    return row;
  }

  /**
   * The production figures of every deployable entity over a window, in one
   * SQL statement: per entity, the counts of its terminal events, the
   * nearest-rank 90th percentile of their durations and the median time
   * from a failure to the next success (window functions over the window's
   * events, `rank = ceil(q * n)` as `metricsAggregates` ranks), joined to
   * the entity's state and health URL in the environment. Entities without
   * events in the window have zero counts and null figures.
   */
  async entityFactsAggregates(options: {
    from: Date;
    to: Date;
    environment: string;
  }): Promise<EntityFactsAggregate[]> {
    const db = this.db;
    const { ms } = this.timeSql();
    const terminal = db('deploy_events as d')
      .where('d.environment', options.environment)
      .whereBetween('d.event_at', [options.from, options.to])
      .whereNot('d.status', 'started')
      .select(
        'd.id',
        'd.entity_ref',
        'd.status',
        db.raw(`${ms('d.event_at')} as at`),
        db.raw(
          `case when d.started_at is not null and d.finished_at is not null then ${ms(
            'd.finished_at',
          )} - ${ms('d.started_at')} end as duration`,
        ),
      );
    const rows: Array<{
      entity_ref: string;
      type: string | null;
      environments: string;
      health_urls: string;
      terminal: number | string | null;
      succeeded: number | string | null;
      failures: number | string | null;
      p90_ms: number | string | null;
      ttr_ms: number | string | null;
      deployed_at: DbTime | null;
      health: string | null;
    }> = await db
      .with('t', terminal)
      .with('counts', q =>
        q
          .from('t')
          .select(
            't.entity_ref',
            db.raw('count(*) as terminal'),
            db.raw(
              "sum(case when t.status = 'succeeded' then 1 else 0 end) as succeeded",
            ),
            db.raw(
              "sum(case when t.status in ('failed', 'rolled_back') then 1 else 0 end) as failures",
            ),
          )
          .groupBy('t.entity_ref'),
      )
      .with('dur', q =>
        q
          .from('t')
          .whereNotNull('t.duration')
          .select(
            't.entity_ref',
            db.raw('t.duration as v'),
            db.raw(
              'row_number() over (partition by t.entity_ref order by t.duration) as rn',
            ),
            db.raw('count(*) over (partition by t.entity_ref) as n'),
          ),
      )
      .with('nxt', q =>
        q
          .from('t')
          .select(
            't.entity_ref',
            't.status',
            't.at',
            db.raw(
              "min(case when t.status = 'succeeded' then t.at end) over (partition by t.entity_ref order by t.at, t.id rows between 1 following and unbounded following) as next_success",
            ),
          ),
      )
      .with('rest', q =>
        q
          .from('nxt')
          .whereIn('nxt.status', ['failed', 'rolled_back'])
          .whereNotNull('nxt.next_success')
          .select(
            'nxt.entity_ref',
            db.raw('nxt.next_success - nxt.at as v'),
            db.raw(
              'row_number() over (partition by nxt.entity_ref order by nxt.next_success - nxt.at) as rn',
            ),
            db.raw('count(*) over (partition by nxt.entity_ref) as n'),
          ),
      )
      .from('deploy_entities as e')
      .leftJoin('counts as c', 'c.entity_ref', 'e.entity_ref')
      .leftJoin('dur as p', function p90() {
        this.on('p.entity_ref', '=', 'e.entity_ref').andOn(
          db.raw('p.rn = (9 * p.n + 9) / 10'),
        );
      })
      .leftJoin('rest as r', function median() {
        this.on('r.entity_ref', '=', 'e.entity_ref').andOn(
          db.raw('r.rn = (r.n + 1) / 2'),
        );
      })
      .leftJoin('deploy_state as s', function state() {
        this.on('s.entity_ref', '=', 'e.entity_ref').andOn(
          's.environment',
          '=',
          db.raw('?', [options.environment]),
        );
      })
      .select(
        'e.entity_ref',
        'e.type',
        'e.environments',
        'e.health_urls',
        'c.terminal',
        'c.succeeded',
        'c.failures',
        'p.v as p90_ms',
        'r.v as ttr_ms',
        's.deployed_at',
        's.health',
      )
      .orderBy('e.entity_ref');

    const seconds = (v: number | string | null) =>
      v === null ? null : Number(v) / 1000;
    return rows.map(row => ({
      entityRef: row.entity_ref,
      inEnvironment: (JSON.parse(row.environments) as string[]).includes(
        options.environment,
      ),
      type: row.type ?? undefined,
      terminal: Number(row.terminal ?? 0),
      succeeded: Number(row.succeeded ?? 0),
      failures: Number(row.failures ?? 0),
      p90DurationSeconds: seconds(row.p90_ms),
      timeToRestoreSeconds: seconds(row.ttr_ms),
      deployedAt:
        row.deployed_at === null ? undefined : new Date(row.deployed_at),
      health: (row.health ?? undefined) as HealthState | undefined,
      healthUrlConfigured: Boolean(
        JSON.parse(row.health_urls)[options.environment],
      ),
    }));
  }

  /**
   * SQL for a timestamp column in milliseconds since the epoch, and its UTC
   * day number. PostgreSQL has timestamps; SQLite has what knex wrote, the
   * milliseconds (or an ISO string, read through julianday).
   */
  private timeSql(): {
    ms: (column: string) => string;
    day: (column: string) => string;
  } {
    if (this.db.client.config.client === 'pg') {
      return {
        ms: column => `(extract(epoch from ${column}) * 1000)`,
        day: column => `floor(extract(epoch from ${column}) / 86400)`,
      };
    }
    const ms = (column: string) =>
      `(case when typeof(${column}) in ('integer', 'real') then ${column} else round((julianday(${column}) - 2440587.5) * 86400000) end)`;
    return {
      ms,
      day: column => `cast(${ms(column)} / 86400000 as integer)`,
    };
  }

  /**
   * Deletes events that happened before `before`, in batches of
   * `batchSize` (short statements: ingest is not blocked behind one long
   * delete), until none is left or `signal` aborts; returns how many. The
   * state of each entity and environment is its own table and stays.
   */
  async deleteEventsBefore(
    before: Date,
    options: { batchSize?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    const batchSize = options.batchSize ?? 5000;
    let deleted = 0;
    while (!options.signal?.aborted) {
      const count = await this.db('deploy_events')
        .whereIn(
          'id',
          this.db('deploy_events')
            .select('id')
            .where('event_at', '<', before)
            .limit(batchSize),
        )
        .delete();
      deleted += count;
      if (count < batchSize) break;
    }
    return deleted;
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
