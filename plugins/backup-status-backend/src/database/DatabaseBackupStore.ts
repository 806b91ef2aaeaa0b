import { migrateWithLock } from '@platform-portal/backstage-plugin-platform-node';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { BackupRun } from '@platform-portal/backstage-plugin-backup-status-common';
import { Knex } from 'knex';
import {
  BackupStore,
  IdempotencyConflict,
  InsertRunsResult,
  OnConflict,
  RunContent,
} from './BackupStore';

const TABLE = 'backup_runs';
const STATE_TABLE = 'backup_notification_state';
/** Rows per INSERT, well below SQLite's bound-parameter limit. */
const INSERT_CHUNK = 50;
/** Notification states per INSERT (3 parameters each). */
const STATE_CHUNK = 500;

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-backup-status-backend',
  'migrations',
);

/** A row of `backup_runs` as the drivers return it. */
interface RunRow {
  id: number | string;
  /** Who reported: `http:<subject>`, `s3`, `velero`, `demo`; keys are unique per source. */
  source: string;
  idempotency_key: string;
  entity_ref: string;
  type: string;
  status: string;
  started_at: Date | string;
  finished_at: Date | string;
  size_bytes: number | string | null;
  location: string | null;
  checksum: string | null;
  tool: string | null;
  message: string | null;
  oldest_kept_at: Date | string | null;
  received_at: Date | string;
}

/** A row of `backup_notification_state`. */
interface NotificationStateRow {
  entity_ref: string;
  status: string;
  changed_at: Date | string;
}

/**
 * Timestamps are written as ISO strings in UTC. PostgreSQL stores them as
 * `timestamptz`; SQLite stores the strings, which compare correctly because
 * they all share the `toISOString()` format.
 */
function toDbTime(iso: string): string {
  return new Date(iso).toISOString();
}

function fromDbTime(value: Date | string): string {
  return new Date(value).toISOString();
}

/** The one place rows become domain objects. */
function rowToRun(row: RunRow): BackupRun {
  const run: BackupRun = {
    entityRef: row.entity_ref,
    type: row.type as BackupRun['type'],
    status: row.status as BackupRun['status'],
    startedAt: fromDbTime(row.started_at),
    finishedAt: fromDbTime(row.finished_at),
    idempotencyKey: row.idempotency_key,
  };
  if (row.size_bytes !== null) run.sizeBytes = Number(row.size_bytes);
  if (row.location !== null) run.location = row.location;
  if (row.checksum !== null) run.checksum = row.checksum;
  if (row.tool !== null) run.tool = row.tool;
  if (row.message !== null) run.message = row.message;
  if (row.oldest_kept_at !== null) {
    run.oldestKeptAt = fromDbTime(row.oldest_kept_at);
  }
  return run;
}

function runToRow(
  run: BackupRun,
  source: string,
  receivedAt: string,
): Omit<RunRow, 'id'> {
  return {
    source,
    idempotency_key: run.idempotencyKey,
    entity_ref: run.entityRef,
    type: run.type,
    status: run.status,
    started_at: toDbTime(run.startedAt),
    finished_at: toDbTime(run.finishedAt),
    size_bytes: run.sizeBytes ?? null,
    location: run.location ?? null,
    checksum: run.checksum ?? null,
    tool: run.tool ?? null,
    message: run.message ?? null,
    oldest_kept_at: run.oldestKeptAt ? toDbTime(run.oldestKeptAt) : null,
    received_at: receivedAt,
  };
}

/**
 * The content a key stands for (see `RunContent`), of a stored row or of a
 * run about to be stored: both through `rowToRun`, so that they compare
 * equal exactly when the same run was reported again.
 */
function runContent(row: Omit<RunRow, 'id'>): RunContent {
  const run = rowToRun({ ...row, id: 0 });
  return {
    entityRef: run.entityRef,
    type: run.type,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    sizeBytes: run.sizeBytes,
    location: run.location,
    checksum: run.checksum,
    tool: run.tool,
    message: run.message,
  };
}

/** The fields in which two contents differ, in the order of `RunContent`. */
function contentDifference(
  a: RunContent,
  b: RunContent,
): Array<keyof RunContent> {
  return (Object.keys(a) as Array<keyof RunContent>).filter(
    key => a[key] !== b[key],
  );
}

/** Thrown inside the insert transaction to roll it back on a key conflict. */
class ConflictRollback extends Error {
  constructor(readonly conflict: IdempotencyConflict) {
    super('idempotency conflict');
  }
}

/** {@link BackupStore} on the plugin's database (PostgreSQL or SQLite). */
export class DatabaseBackupStore implements BackupStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseBackupStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      // a crashed or concurrent replica cannot block the start
      await migrateWithLock(client, { directory: migrationsDir });
    }
    return new DatabaseBackupStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async insertRuns(
    runs: BackupRun[],
    options: { source: string; onConflict: OnConflict },
  ): Promise<InsertRunsResult> {
    const receivedAt = new Date().toISOString();
    const rows = runs.map(run => runToRow(run, options.source, receivedAt));
    try {
      // One transaction around the chunks: a failing chunk rolls back the
      // chunks before it, so a batch is stored completely or not at all.
      return await this.db.transaction(async trx => {
        let stored = 0;
        const conflicts: IdempotencyConflict[] = [];
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          const chunk = rows.slice(i, i + INSERT_CHUNK);
          // ON CONFLICT DO NOTHING makes concurrent reports of the same key
          // safe: the database keeps exactly one row, and neither fails.
          const inserted: Array<{ idempotency_key: string }> = await trx(TABLE)
            .insert(chunk)
            .onConflict(['source', 'idempotency_key'])
            .ignore()
            .returning('idempotency_key');
          stored += inserted.length;
          // The rows not inserted: their key was known (stored before, or
          // by an earlier row of the batch); a key is inserted once, by the
          // first of its rows in the chunk.
          const fresh = new Set(inserted.map(r => r.idempotency_key));
          const skipped = chunk.flatMap((row, offset) => {
            if (fresh.delete(row.idempotency_key)) return [];
            return [{ row, index: i + offset }];
          });
          if (skipped.length === 0) continue;
          const known: RunRow[] = await trx<RunRow>(TABLE)
            .where('source', options.source)
            .whereIn(
              'idempotency_key',
              skipped.map(s => s.row.idempotency_key),
            );
          const byKey = new Map(known.map(r => [r.idempotency_key, r]));
          for (const { row, index } of skipped) {
            const first = byKey.get(row.idempotency_key);
            const fields = first
              ? contentDifference(runContent(first), runContent(row))
              : [];
            if (fields.length === 0) continue;
            const conflict = {
              index,
              idempotencyKey: row.idempotency_key,
              fields,
            };
            if (options.onConflict === 'refuse') {
              throw new ConflictRollback(conflict);
            }
            conflicts.push(conflict);
          }
        }
        return { stored, duplicates: runs.length - stored, conflicts };
      });
    } catch (error) {
      if (error instanceof ConflictRollback) {
        return { conflict: error.conflict };
      }
      throw error;
    }
  }

  async listRunsForStatus(options: {
    since: Date;
    entityRefs?: string[];
  }): Promise<Map<string, BackupRun[]>> {
    const latestPerGroup = this.db(TABLE)
      .select('entity_ref', 'type', 'status')
      .max('finished_at')
      .groupBy('entity_ref', 'type', 'status');
    if (options.entityRefs) {
      latestPerGroup.whereIn('entity_ref', options.entityRefs);
    }
    const query = this.db<RunRow>(TABLE)
      .select('*')
      .where(inner => {
        inner
          .where('finished_at', '>=', options.since.toISOString())
          .orWhereIn(
            ['entity_ref', 'type', 'status', 'finished_at'],
            latestPerGroup,
          );
      })
      .orderBy([
        { column: 'finished_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    if (options.entityRefs) {
      query.whereIn('entity_ref', options.entityRefs);
    }
    const rows: RunRow[] = await query;

    const byEntity = new Map<string, BackupRun[]>();
    for (const row of rows) {
      const list = byEntity.get(row.entity_ref) ?? [];
      list.push(rowToRun(row));
      byEntity.set(row.entity_ref, list);
    }
    return byEntity;
  }

  async listEntityRuns(options: {
    entityRef: string;
    types?: BackupRun['type'][];
    limit: number;
    offset: number;
  }): Promise<{ runs: BackupRun[]; totalRuns: number }> {
    const base = this.db<RunRow>(TABLE).where('entity_ref', options.entityRef);
    if (options.types) {
      base.whereIn('type', options.types);
    }
    const [{ count }] = await base.clone().count({ count: '*' });
    const rows: RunRow[] = await base
      .clone()
      .select('*')
      .orderBy([
        { column: 'finished_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit)
      .offset(options.offset);
    return { runs: rows.map(rowToRun), totalRuns: Number(count) };
  }

  async deleteRunsBefore(
    before: Date,
    options: { batchSize?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    const batchSize = options.batchSize ?? 5000;
    const cutoff = before.toISOString();
    let deleted = 0;
    while (!options.signal?.aborted) {
      // an old run goes when a newer run of its kind (entity, type, status)
      // exists: the latest of each kind stays (ties: the highest id)
      const doomed = this.db(`${TABLE} as r`)
        .select('r.id')
        .where('r.finished_at', '<', cutoff)
        .whereExists(newer =>
          newer
            .select(this.db.raw('1'))
            .from(`${TABLE} as n`)
            .whereRaw('n.entity_ref = r.entity_ref')
            .andWhereRaw('n.type = r.type')
            .andWhereRaw('n.status = r.status')
            .andWhere(later =>
              later
                .whereRaw('n.finished_at > r.finished_at')
                .orWhere(tie =>
                  tie
                    .whereRaw('n.finished_at = r.finished_at')
                    .andWhereRaw('n.id > r.id'),
                ),
            ),
        )
        .limit(batchSize);
      const count = await this.db(TABLE).whereIn('id', doomed).delete();
      deleted += count;
      if (count < batchSize) break;
    }
    return deleted;
  }

  async countRuns(options?: { excludeTool?: string }): Promise<number> {
    const query = this.db(TABLE);
    if (options?.excludeTool) {
      const tool = options.excludeTool;
      query.where(q => q.whereNull('tool').orWhereNot('tool', tool));
    }
    const [{ count }] = await query.count({ count: '*' });
    return Number(count);
  }

  async getNotificationStates(): Promise<Map<string, string>> {
    const rows: Pick<NotificationStateRow, 'entity_ref' | 'status'>[] =
      await this.db(STATE_TABLE).select('entity_ref', 'status');
    return new Map(rows.map(r => [r.entity_ref, r.status]));
  }

  async setNotificationStates(
    states: Array<{ entityRef: string; status: string }>,
    at: Date,
  ): Promise<void> {
    await this.db.transaction(async trx => {
      for (let i = 0; i < states.length; i += STATE_CHUNK) {
        await trx(STATE_TABLE)
          .insert(
            states.slice(i, i + STATE_CHUNK).map(s => ({
              entity_ref: s.entityRef,
              status: s.status,
              changed_at: at,
            })),
          )
          .onConflict('entity_ref')
          .merge(['status', 'changed_at']);
      }
    });
  }
}
