// @ts-check

/**
 * Incidents: one row per alert from firing to resolved, keyed by the alert's
 * fingerprint and start (Alertmanager repeats and retries notifications; the
 * key makes them one incident).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('health_incidents', table => {
    table.comment(
      'Alerts from firing to resolved, from the Alertmanager webhook',
    );
    table.bigIncrements('id').primary();
    table.string('fingerprint', 32).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('ended_at', { useTz: true }).nullable();
    table.string('alertname', 255).notNullable();
    table.string('service', 255).nullable();
    table.string('severity', 32).notNullable();
    table.text('summary').nullable();
    table.text('labels').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['fingerprint', 'started_at'], {
      indexName: 'health_incidents_key',
    });
    table.index(['service', 'started_at'], 'health_incidents_service_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('health_incidents');
};
