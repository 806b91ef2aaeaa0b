import { Knex } from 'knex';
import { EventRow } from './rows';

/**
 * A single-event report on PostgreSQL as ONE autocommit statement: the event
 * insert (skipped when its source reported the key before) and, only when
 * it was inserted, its fold into the state row of its entity and environment.
 * One round trip instead of four (begin, insert with a locking read, state
 * upsert, commit).
 *
 * The fold is `applyEvent` (../domain/applyEvent.ts) written as the state
 * upsert's `ON CONFLICT ... DO UPDATE ... WHERE`:
 *
 * - an event older than the state's last event changes nothing (the WHERE);
 * - every other event sets the last status, version and time, and its run URL
 *   unless it has none;
 * - `succeeded` makes its version live: the version live before becomes the
 *   previous one (when it differs), its colour (or the old one) the live
 *   colour, its time and actor the deployment's.
 *
 * `foldStatement.test.ts` holds the two to each other: random event sequences
 * folded by this statement and by `applyEvent` end in the same state.
 * Row locking is PostgreSQL's own: ON CONFLICT DO UPDATE locks the state row
 * and evaluates the WHERE on its latest version, and a concurrent insert of
 * the same key waits for the other to commit, then counts as a duplicate.
 *
 * @returns whether the event was stored (false: a duplicate key, nothing
 * written)
 */
export async function insertAndFoldEvent(
  db: Knex,
  row: Omit<EventRow, 'id'>,
  options: { demo: boolean },
): Promise<boolean> {
  const succeeded = row.status === 'succeeded';
  const { rows } = await db.raw(
    `with ins as (
       insert into deploy_events (idempotency_key, entity_ref, environment,
         version, status, color, commit_sha, commit_timestamp, started_at,
         finished_at, event_at, run_url, actor, source, received_at)
       values (:idempotency_key, :entity_ref, :environment, :version, :status,
         :color, :commit_sha, :commit_timestamp, :started_at, :finished_at,
         :event_at, :run_url, :actor, :source, :received_at)
       on conflict (source, idempotency_key) do nothing
       returning id
     ), fold as (
       insert into deploy_state as s (entity_ref, environment, version,
         previous_version, live_color, last_status, last_version,
         last_event_at, deployed_at, deployed_by, run_url, demo)
       select :entity_ref::text, :environment::text,
         case when :succeeded::boolean then :version::text end,
         null,
         case when :succeeded::boolean then :color::text end,
         :status::text, :version::text, :event_at::timestamptz,
         case when :succeeded::boolean then :event_at::timestamptz end,
         case when :succeeded::boolean then :actor::text end,
         :run_url::text, :demo::boolean
       from ins
       on conflict (entity_ref, environment) do update set
         last_status = excluded.last_status,
         last_version = excluded.last_version,
         last_event_at = excluded.last_event_at,
         run_url = coalesce(excluded.run_url, s.run_url),
         previous_version = case
           when :succeeded::boolean and s.version is not null
             and s.version <> excluded.last_version then s.version
           else s.previous_version end,
         version = case when :succeeded::boolean
           then excluded.last_version else s.version end,
         live_color = case when :succeeded::boolean
           then coalesce(excluded.live_color, s.live_color)
           else s.live_color end,
         deployed_at = case when :succeeded::boolean
           then excluded.last_event_at else s.deployed_at end,
         deployed_by = case when :succeeded::boolean
           then excluded.deployed_by else s.deployed_by end,
         demo = excluded.demo
       where s.last_event_at <= excluded.last_event_at
     )
     select id from ins`,
    { ...row, succeeded, demo: options.demo },
  );
  return rows.length > 0;
}
