// @ts-check

/**
 * Deployment events (append-only), the current state per (entity, environment),
 * and the copy of catalog metadata the overview filters and sorts on.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deploy_events', table => {
    table.comment('Append-only deployment events, one per reported event');
    table.bigIncrements('id').primary();
    table.string('idempotency_key', 200).notNullable().unique();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('version', 128).notNullable();
    table.string('status', 16).notNullable();
    table.string('color', 8).nullable();
    table.string('commit_sha', 40).nullable();
    table.timestamp('commit_timestamp', { useTz: true }).nullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.timestamp('event_at', { useTz: true }).notNullable();
    table.text('run_url').nullable();
    table.string('actor', 255).nullable();
    table.string('source', 32).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.index(
      ['entity_ref', 'environment', 'event_at'],
      'deploy_events_entity_idx',
    );
    table.index(['event_at'], 'deploy_events_time_idx');
  });

  await knex.schema.createTable('deploy_state', table => {
    table.comment('Current state of each entity in each environment');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('version', 128).nullable();
    table.string('previous_version', 128).nullable();
    table.string('live_color', 8).nullable();
    table.string('last_status', 16).notNullable();
    table.string('last_version', 128).notNullable();
    table.timestamp('last_event_at', { useTz: true }).notNullable();
    table.timestamp('deployed_at', { useTz: true }).nullable();
    table.string('deployed_by', 255).nullable();
    table.text('run_url').nullable();
    table.string('health', 8).notNullable().defaultTo('unknown');
    table.integer('health_failures').notNullable().defaultTo(0);
    table.integer('health_status_code').nullable();
    table.integer('health_latency_ms').nullable();
    table.timestamp('health_checked_at', { useTz: true }).nullable();
    table.boolean('demo').notNullable().defaultTo(false);
    table.primary(['entity_ref', 'environment']);
    table.index(['last_status'], 'deploy_state_status_idx');
  });

  await knex.schema.createTable('deploy_entities', table => {
    table.comment(
      'Catalog metadata of deployable entities, synced from the catalog',
    );
    table.string('entity_ref', 255).notNullable().primary();
    table.string('name', 255).notNullable();
    table.string('title', 255).nullable();
    table.string('system', 255).nullable();
    table.string('owner', 255).nullable();
    table.string('type', 63).nullable();
    table.text('environments').notNullable();
    table.text('health_urls').notNullable();
    table.timestamp('synced_at', { useTz: true }).notNullable();
    table.index(['system'], 'deploy_entities_system_idx');
    table.index(['owner'], 'deploy_entities_owner_idx');
    table.index(['name'], 'deploy_entities_name_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deploy_entities');
  await knex.schema.dropTable('deploy_state');
  await knex.schema.dropTable('deploy_events');
};
