import { ReadinessResult } from '@platform-portal/backstage-plugin-readiness-common';

/**
 * The plugin's two tables (see `migrations/`): one row interface each, as
 * the drivers return them, and one mapper each way. PostgreSQL returns
 * timestamps as `Date`; SQLite the milliseconds that were written.
 */

/** A timestamp column as either driver returns it. */
export type DbTime = Date | string | number;

/** A row of `readiness_entities`. */
export interface EntityRow {
  entity_ref: string;
  title: string | null;
  system: string | null;
  owner: string | null;
  level: string | null;
  /** JSON array of the ids of failing checks. */
  failing: string;
  /** JSON array of {@link StoredCheckResult}. */
  checks: string;
  evaluated_at: DbTime;
}

/** A row of `readiness_history`. */
export interface HistoryRow {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  entity_ref: string;
  level: string | null;
}

/**
 * What is stored of one check's result: its outcome. Names, descriptions,
 * levels and fix links are configuration, joined when read, so a changed
 * description shows without a new evaluation.
 */
export interface StoredCheckResult {
  id: string;
  result: ReadinessResult;
  why?: string;
}

/** One entity's evaluation, as the service writes and reads it. */
export interface EntityEvaluation {
  entityRef: string;
  title?: string;
  system?: string;
  owner?: string;
  level: string | null;
  failing: string[];
  checks: StoredCheckResult[];
  evaluatedAt: Date;
}

const optional = <T>(value: T | null): T | undefined => value ?? undefined;

export function evaluationToRow(e: EntityEvaluation): EntityRow {
  return {
    entity_ref: e.entityRef,
    title: e.title ?? null,
    system: e.system ?? null,
    owner: e.owner ?? null,
    level: e.level,
    failing: JSON.stringify(e.failing),
    checks: JSON.stringify(e.checks),
    evaluated_at: e.evaluatedAt,
  };
}

/** The one place a row becomes an evaluation. */
export function rowToEvaluation(row: EntityRow): EntityEvaluation {
  return {
    entityRef: row.entity_ref,
    title: optional(row.title),
    system: optional(row.system),
    owner: optional(row.owner),
    level: row.level,
    failing: JSON.parse(row.failing),
    checks: JSON.parse(row.checks),
    evaluatedAt: new Date(row.evaluated_at),
  };
}
