import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { migrateWithLock } from '@platform-portal/backstage-plugin-platform-node';
import { Knex } from 'knex';
import {
  EntityEvaluation,
  EntityRow,
  evaluationToRow,
  HistoryRow,
  rowToEvaluation,
} from './rows';

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-readiness-backend',
  'migrations',
);

/** Rows per statement, well below SQLite's bound-parameter limit. */
const CHUNK = 500;

/** What the overview reads of an entity (no per-check results). */
export type OverviewEvaluation = Omit<EntityEvaluation, 'checks'>;

/** The UTC day of a time, `YYYY-MM-DD`. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The latest evaluation of every entity and the daily history of levels, on
 * SQLite or PostgreSQL. It persists; which level an entity reaches and who
 * is told about a drop is the service's.
 */
export class ReadinessStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<ReadinessStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateWithLock(db, { directory: migrationsDir });
    }
    return new ReadinessStore(db);
  }

  /**
   * Replaces the evaluations with a run's, in one transaction: upserts each
   * entity's, deletes those of entities the run no longer had, and writes
   * each entity's level of the run's UTC day (a later run the same day
   * overwrites it). Returns the level each entity had before, for the ones
   * evaluated before (what a drop is measured against).
   */
  async replaceEvaluations(
    evaluations: EntityEvaluation[],
    at: Date,
  ): Promise<Map<string, string | null>> {
    const day = utcDay(at);
    return this.db.transaction(async tx => {
      const before: Array<Pick<EntityRow, 'entity_ref' | 'level'>> = await tx(
        'readiness_entities',
      ).select('entity_ref', 'level');
      const previous = new Map(before.map(r => [r.entity_ref, r.level]));
      const rows = evaluations.map(evaluationToRow);
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx<EntityRow>('readiness_entities')
          .insert(rows.slice(i, i + CHUNK))
          .onConflict('entity_ref')
          .merge();
        const history: HistoryRow[] = rows
          .slice(i, i + CHUNK)
          .map(r => ({ day, entity_ref: r.entity_ref, level: r.level }));
        await tx<HistoryRow>('readiness_history')
          .insert(history)
          .onConflict(['day', 'entity_ref'])
          .merge(['level']);
      }
      const current = new Set(rows.map(r => r.entity_ref));
      const gone = [...previous.keys()].filter(ref => !current.has(ref));
      for (let i = 0; i < gone.length; i += CHUNK) {
        await tx('readiness_entities')
          .whereIn('entity_ref', gone.slice(i, i + CHUNK))
          .delete();
      }
      return previous;
    });
  }

  async getEvaluation(
    entityRef: string,
  ): Promise<EntityEvaluation | undefined> {
    const row: EntityRow | undefined = await this.db<EntityRow>(
      'readiness_entities',
    )
      .where({ entity_ref: entityRef })
      .first();
    return row && rowToEvaluation(row);
  }

  /** Every entity's latest evaluation without its check results, in one query. */
  async listOverview(): Promise<OverviewEvaluation[]> {
    const rows: Array<Omit<EntityRow, 'checks'>> = await this.db<EntityRow>(
      'readiness_entities',
    )
      .select(
        'entity_ref',
        'title',
        'system',
        'owner',
        'level',
        'failing',
        'evaluated_at',
      )
      .orderBy('entity_ref');
    return rows.map(row => {
      const { checks: _checks, ...rest } = rowToEvaluation({
        ...row,
        checks: '[]',
      });
      return rest;
    });
  }

  /** Entities per level per day from `fromDay` on (`YYYY-MM-DD`), in one grouped query. */
  async countLevelsByDay(
    fromDay: string,
  ): Promise<Array<{ day: string; level: string | null; count: number }>> {
    const rows: Array<{
      day: string;
      level: string | null;
      count: number | string;
    }> = await this.db('readiness_history')
      .where('day', '>=', fromDay)
      .select('day', 'level', this.db.raw('count(*) as count'))
      .groupBy('day', 'level')
      .orderBy('day');
    return rows.map(r => ({
      day: r.day,
      level: r.level,
      count: Number(r.count),
    }));
  }

  /** Deletes history rows of days before `beforeDay`; returns how many. */
  async deleteHistoryBefore(beforeDay: string): Promise<number> {
    return this.db('readiness_history').where('day', '<', beforeDay).delete();
  }
}
