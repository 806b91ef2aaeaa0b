// @ts-check

/**
 * One row per report (entity, version, image digest, content hash) and its
 * findings.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('image_scan_reports', table => {
    table.comment('Trivy reports, one per (entity, version, image digest)');
    table.increments('id');
    table.string('entity_ref', 255).notNullable();
    table.string('version', 128).notNullable();
    table.string('image_digest', 80).notNullable();
    table.string('content_sha256', 64).notNullable();
    table.string('artifact_name', 1000).notNullable();
    table.string('source', 255).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'version', 'image_digest'], {
      indexName: 'image_scan_reports_key',
    });
    table.index(
      ['entity_ref', 'version', 'received_at'],
      'image_scan_reports_version_idx',
    );
  });
  await knex.schema.createTable('image_scan_findings', table => {
    table.comment('The vulnerabilities of one report');
    table.increments('id');
    table
      .integer('report_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('image_scan_reports')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('vulnerability_id', 200).notNullable();
    table.string('pkg_name', 500).notNullable();
    table.string('installed_version', 500).notNullable();
    table.string('fixed_version', 500).nullable();
    table.string('severity', 16).notNullable();
    table.string('target', 1000).notNullable();
    table.text('title').nullable();
    table.index(['report_id'], 'image_scan_findings_report_idx');
    table.index(
      ['entity_ref', 'vulnerability_id', 'pkg_name'],
      'image_scan_findings_first_seen_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('image_scan_findings');
  await knex.schema.dropTable('image_scan_reports');
};
