// @ts-check

/**
 * On PostgreSQL, the single-event report as a function: the event insert
 * (nothing when its source reported the key before) and, only when it was
 * inserted, its fold into the state of its entity and environment; it
 * returns the new event's id, or null for a known key. The fold is
 * `applyEvent` (src/domain/applyEvent.ts) as the state upsert's
 * `ON CONFLICT ... DO UPDATE ... WHERE`; src/database/foldStatement.test.ts
 * holds the two to each other.
 *
 * A function because PL/pgSQL plans its statements once per connection and
 * then reuses the plans: the same two statements sent as one CTE were
 * planned on every report, about 0.5 ms of the 1.0-1.3 ms that a report
 * spent in the database (bench/RESULTS.md). SQLite has no functions: there
 * the store folds in a transaction, and this migration does nothing.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (!isPostgres(knex)) return;
  await knex.raw(`
    create function deploy_fold_event(
      p_idempotency_key text, p_entity_ref text, p_environment text,
      p_version text, p_status text, p_color text, p_commit_sha text,
      p_commit_timestamp timestamptz, p_started_at timestamptz,
      p_finished_at timestamptz, p_event_at timestamptz, p_run_url text,
      p_actor text, p_source text, p_received_at timestamptz,
      p_demo boolean)
    returns bigint
    language plpgsql
    as $fold$
    declare
      v_id bigint;
      v_succeeded boolean := p_status = 'succeeded';
    begin
      insert into deploy_events (idempotency_key, entity_ref, environment,
        version, status, color, commit_sha, commit_timestamp, started_at,
        finished_at, event_at, run_url, actor, source, received_at)
      values (p_idempotency_key, p_entity_ref, p_environment, p_version,
        p_status, p_color, p_commit_sha, p_commit_timestamp, p_started_at,
        p_finished_at, p_event_at, p_run_url, p_actor, p_source,
        p_received_at)
      on conflict (source, idempotency_key) do nothing
      returning id into v_id;
      if v_id is null then
        return null;
      end if;

      -- an event older than the state's last changes nothing (the WHERE);
      -- succeeded makes its version live, the one before it the previous
      insert into deploy_state as s (entity_ref, environment, version,
        previous_version, live_color, last_status, last_version,
        last_event_at, deployed_at, deployed_by, run_url, demo)
      values (p_entity_ref, p_environment,
        case when v_succeeded then p_version end,
        null,
        case when v_succeeded then p_color end,
        p_status, p_version, p_event_at,
        case when v_succeeded then p_event_at end,
        case when v_succeeded then p_actor end,
        p_run_url, p_demo)
      on conflict (entity_ref, environment) do update set
        last_status = excluded.last_status,
        last_version = excluded.last_version,
        last_event_at = excluded.last_event_at,
        run_url = coalesce(excluded.run_url, s.run_url),
        previous_version = case
          when v_succeeded and s.version is not null
            and s.version <> excluded.last_version then s.version
          else s.previous_version end,
        version = case when v_succeeded
          then excluded.last_version else s.version end,
        live_color = case when v_succeeded
          then coalesce(excluded.live_color, s.live_color)
          else s.live_color end,
        deployed_at = case when v_succeeded
          then excluded.last_event_at else s.deployed_at end,
        deployed_by = case when v_succeeded
          then excluded.deployed_by else s.deployed_by end,
        demo = excluded.demo
      where s.last_event_at <= excluded.last_event_at;
      return v_id;
    end
    $fold$
  `);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (!isPostgres(knex)) return;
  await knex.raw('drop function deploy_fold_event');
};

/** @param {import('knex').Knex} knex */
function isPostgres(knex) {
  return knex.client.config.client === 'pg';
}
