// @ts-check

/**
 * Whether a deployable entity comes from a trusted catalog location (the
 * backend kit's `readTrustedLocations`): only those are health-probed.
 * Existing rows start untrusted until the next catalog sync says otherwise.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deploy_entities', table => {
    table.boolean('trusted').notNullable().defaultTo(false);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deploy_entities', table => {
    table.dropColumn('trusted');
  });
};
