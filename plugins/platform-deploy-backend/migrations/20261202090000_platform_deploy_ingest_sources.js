// @ts-check

/**
 * Idempotency keys scoped per source: a key is unique per (source, key), not
 * globally, so that one reporter cannot pre-claim another's keys (GitHub's
 * `github:deployment_status:<id>`). HTTP reports' source is the credential
 * (`http:<subject>`), hence a wider `source` column.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deploy_events', table => {
    table.string('source', 255).notNullable().alter();
  });
  await knex.schema.alterTable('deploy_events', table => {
    table.dropUnique(['idempotency_key']);
    table.unique(['source', 'idempotency_key'], {
      indexName: 'deploy_events_source_key_unique',
    });
  });
};

/**
 * Back to one event per key: the first stored (lowest id) of each key stays,
 * later ones of other sources go; `http:<subject>` sources become `http`, as
 * the previous schema wrote them.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex('deploy_events')
    .whereNotIn(
      'id',
      knex('deploy_events').min('id').groupBy('idempotency_key'),
    )
    .delete();
  await knex('deploy_events')
    .where('source', 'like', 'http:%')
    .update({ source: 'http' });
  await knex.schema.alterTable('deploy_events', table => {
    table.dropUnique(
      ['source', 'idempotency_key'],
      'deploy_events_source_key_unique',
    );
    table.unique(['idempotency_key']);
  });
  await knex.schema.alterTable('deploy_events', table => {
    table.string('source', 32).notNullable().alter();
  });
};
