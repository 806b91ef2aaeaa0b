// @ts-check

/**
 * The readiness plugin's store: the latest evaluation of each entity (its
 * level, failing checks and every check's result) and one history row per
 * entity and UTC day (its level that day), for the trend.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('readiness_entities', table => {
    table.comment('The latest readiness evaluation of each entity');
    table.string('entity_ref', 255).notNullable().primary();
    table.string('title', 255).nullable();
    table.string('system', 255).nullable();
    table.string('owner', 255).nullable();
    table.string('level', 63).nullable();
    table.text('failing').notNullable();
    table.text('checks').notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('readiness_history', table => {
    table.comment(
      'The level of each entity per UTC day (the last evaluation of the day)',
    );
    table.string('day', 10).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('level', 63).nullable();
    table.primary(['day', 'entity_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('readiness_history');
  await knex.schema.dropTable('readiness_entities');
};
