/*
 * The backup status last seen by the notification task, per entity, so that
 * crossing into critical (and recovering) notifies once per incident.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backup_notification_state', table => {
    table.comment('Last backup status seen by the notification task');
    table.string('entity_ref', 255).primary();
    table
      .string('status', 20)
      .notNullable()
      .comment('ok|warning|critical|unknown');
    table.timestamp('changed_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backup_notification_state');
};
