/*
 * Creates the append-only log of reported backup runs.
 * Shipped migrations are never edited; add a new dated file instead.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backup_runs', table => {
    table.comment(
      'Append-only log of reported backup, restore-test and drill runs',
    );
    table.bigIncrements('id').primary();
    table
      .string('idempotency_key', 200)
      .notNullable()
      .unique({ indexName: 'backup_runs_idempotency_key_uniq' })
      .comment(
        'Client-chosen key; a second report with the same key is ignored',
      );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Lower-case catalog entity ref, e.g. resource:default/chat-db');
    table.string('type', 20).notNullable().comment('backup|restore-test|drill');
    table.string('status', 20).notNullable().comment('succeeded|failed');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).notNullable();
    table.bigInteger('size_bytes').nullable();
    table.text('location').nullable();
    table.string('checksum', 200).nullable();
    table.string('tool', 100).nullable();
    table.text('message').nullable();
    table
      .timestamp('oldest_kept_at', { useTz: true })
      .nullable()
      .comment('Oldest backup still kept in storage, as reported by the tool');
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.index(
      ['entity_ref', 'finished_at'],
      'backup_runs_entity_finished_idx',
    );
    table.index(['finished_at'], 'backup_runs_finished_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backup_runs');
};
