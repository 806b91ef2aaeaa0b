import { Knex } from 'knex';
import { EventRow } from './rows';

/**
 * A single-event report on PostgreSQL as ONE autocommit statement, a call
 * of `deploy_fold_event` (migrations/20261204090000_platform_deploy_fold_function.js):
 * the event insert (skipped when its source reported the key before) and,
 * only when it was inserted, its fold into the state row of its entity and
 * environment. One round trip instead of four (begin, insert with a locking
 * read, state upsert, commit), and plans PostgreSQL made once per
 * connection: until 2026-12-04 the same statements went as one CTE,
 * planned on every report (1.0-1.3 ms a report against 0.6 ms now, see
 * bench/RESULTS.md).
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
 * folded by this function and by `applyEvent` end in the same state.
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
  const { rows } = await db.raw(
    'select deploy_fold_event(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) as id',
    [
      row.idempotency_key,
      row.entity_ref,
      row.environment,
      row.version,
      row.status,
      row.color,
      row.commit_sha,
      row.commit_timestamp,
      row.started_at,
      row.finished_at,
      row.event_at,
      row.run_url,
      row.actor,
      row.source,
      row.received_at,
      options.demo,
    ],
  );
  return rows[0].id !== null;
}
