// @ts-check
/*
 * Idempotency keys scoped per source: a key is unique per (source, key), not
 * globally, so that one reporter cannot pre-claim another's keys (the S3
 * source's `s3:<hash>`, a team's `chat-db-2026-11-23`). HTTP reports' source
 * is the credential (`http:<subject>`); a source module's is its id (`s3`,
 * `velero`); the demo feed's is `demo`.
 *
 * Existing rows: keys of the S3 and Velero sources get those sources and
 * their new form, which includes the entity ref (two entities naming the
 * same prefix or schedule no longer share keys), so that the next scan finds
 * its runs stored instead of storing them again; demo rows get `demo`; every
 * other row was reported over HTTP by a credential the old schema did not
 * record: `http` (a retry of such a report under its credential's new
 * source `http:<subject>` is stored once more).
 *
 * The key forms are those of the modules (`s3RunKey` of
 * backup-status-backend-module-s3, `veleroRunKey` of ...-module-velero);
 * src/database/migrations.test.ts checks that they agree.
 */
const { createHash } = require('node:crypto');

const TABLE = 'backup_runs';
const OLD_UNIQUE = 'backup_runs_idempotency_key_uniq';
const NEW_UNIQUE = 'backup_runs_source_key_uniq';
const MAX_KEY = 200;
/** Rows read per query while rewriting keys. */
const PAGE = 1000;

const sha256 = (/** @type {string} */ text) =>
  createHash('sha256').update(text).digest('hex');

/**
 * The S3 source's key of a stored row, old form (bucket, key and ETag) or
 * new (also the entity ref and LastModified); undefined when the row does
 * not carry what it takes (a location cut at 1024 characters).
 *
 * @param {{ entity_ref: string, location: string | null, checksum: string | null, finished_at: Date | string }} row
 * @param {'old' | 'new'} form
 */
function s3Key(row, form) {
  const location = row.location ?? '';
  if (!location.startsWith('s3://') || location.length >= 1024) {
    return undefined;
  }
  const object = location.slice('s3://'.length); // bucket/key
  const slash = object.indexOf('/');
  if (slash < 1) return undefined;
  const etag = row.checksum?.startsWith('etag:') ? row.checksum.slice(5) : '';
  if (form === 'old') return `s3:${sha256(`${object}:${etag}`)}`;
  const modified = new Date(row.finished_at).toISOString();
  return `s3:${sha256(
    [
      row.entity_ref,
      object.slice(0, slash),
      object.slice(slash + 1),
      etag,
      modified,
    ].join('\n'),
  )}`;
}

/**
 * The Velero source's key of a Backup (its uid, or namespace/name) for an
 * entity: `velero:<entityRef>:<uid>`, the entity ref hashed when the key
 * would be longer than 200 characters.
 *
 * @param {string} entityRef
 * @param {string} id
 */
function veleroKey(entityRef, id) {
  const key = `velero:${entityRef}:${id}`;
  if (key.length <= MAX_KEY) return key;
  return `velero:${sha256(entityRef).slice(0, 32)}:${id}`;
}

/**
 * Rewrites the keys of `source`'s rows with `rekey`, a page at a time.
 *
 * @param {import('knex').Knex} knex
 * @param {string} source
 * @param {(row: any) => string | undefined} rekey
 */
async function rewriteKeys(knex, source, rekey) {
  let after = 0;
  for (;;) {
    const rows = await knex(TABLE)
      .select(
        'id',
        'idempotency_key',
        'entity_ref',
        'location',
        'checksum',
        'finished_at',
      )
      .where('source', source)
      .andWhere('id', '>', after)
      .orderBy('id')
      .limit(PAGE);
    if (rows.length === 0) return;
    for (const row of rows) {
      const key = rekey(row);
      if (key && key !== row.idempotency_key) {
        await knex(TABLE).where('id', row.id).update({ idempotency_key: key });
      }
    }
    after = Number(rows[rows.length - 1].id);
  }
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable(TABLE, table => {
    table
      .string('source', 255)
      .notNullable()
      .defaultTo('http')
      .comment(
        'Who reported: http:<subject> (a credential), s3, velero, demo; keys are unique per source',
      );
  });
  await knex(TABLE)
    .where('idempotency_key', 'like', 's3:%')
    .andWhere('tool', 's3')
    .update({ source: 's3' });
  await knex(TABLE)
    .where('idempotency_key', 'like', 'velero:%')
    .andWhere('tool', 'velero')
    .update({ source: 'velero' });
  await knex(TABLE)
    .where('idempotency_key', 'like', 'demo:%')
    .andWhere('tool', 'demo')
    .update({ source: 'demo' });

  await rewriteKeys(knex, 's3', row => s3Key(row, 'new'));
  await rewriteKeys(knex, 'velero', row =>
    veleroKey(row.entity_ref, row.idempotency_key.slice('velero:'.length)),
  );

  await knex.schema.alterTable(TABLE, table => {
    table.dropUnique(['idempotency_key'], OLD_UNIQUE);
    table.unique(['source', 'idempotency_key'], { indexName: NEW_UNIQUE });
  });
};

/**
 * Back to one run per key: the S3 and Velero keys take their old form; of
 * the runs that then share a key (other sources', two entities' of one
 * Velero Backup), the first stored (lowest id) stays.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await rewriteKeys(knex, 's3', row => s3Key(row, 'old'));
  await rewriteKeys(knex, 'velero', row => {
    const prefix = `velero:${row.entity_ref}:`;
    const key = row.idempotency_key;
    if (key.startsWith(prefix)) return `velero:${key.slice(prefix.length)}`;
    const hashed = /^velero:[0-9a-f]{32}:(.+)$/.exec(key);
    return hashed ? `velero:${hashed[1]}` : undefined;
  });
  // keys unique again: the run stored first keeps its key
  await knex(TABLE)
    .whereNotIn('id', knex(TABLE).min('id').groupBy('idempotency_key'))
    .delete();
  await knex.schema.alterTable(TABLE, table => {
    table.dropUnique(['source', 'idempotency_key'], NEW_UNIQUE);
    table.unique(['idempotency_key'], { indexName: OLD_UNIQUE });
  });
  await knex.schema.alterTable(TABLE, table => {
    table.dropColumn('source');
  });
};
