/** The result of one check for one entity. @public */
export type ReadinessResult = 'pass' | 'fail' | 'not-applicable' | 'no-data';

/** A readiness level; levels are ordered lowest to highest (bronze, silver, gold). @public */
export interface ReadinessLevel {
  /** What checks and results name: `bronze`. */
  id: string;
  /** What people read: `Bronze`. */
  title: string;
}

/** One check's result for one entity. @public */
export interface ReadinessCheckResult {
  /** The check's id, e.g. `backups-within-rpo`. */
  id: string;
  /** `Backups within RPO`. */
  name: string;
  /** What the check asks, with its target. */
  description: string;
  /** The level the check belongs to. */
  level: string;
  /** `deploys`, `backups`, `catalog`, `docs`, ... */
  category: 'deploys' | 'backups' | 'catalog' | 'docs' | string;
  /** How the entity did. */
  result: ReadinessResult;
  /** Why it fails, has no data or does not apply, e.g. `resource:default/chat-db: last success 31 h ago, RPO 24 h`. */
  why?: string;
  /** The runbook (`/docs/...`) or template (`/create/templates/...`) that fixes it. */
  fix?: { title: string; url: string };
}

/** The readiness of one entity, as last evaluated. @public */
export interface EntityReadiness {
  /** `component:default/chat-backend`. */
  entityRef: string;
  /**
   * The highest level whose checks, and those of every lower level, all
   * pass or do not apply; null when not even the lowest does.
   */
  level: string | null;
  /** Every configured check's result, in configuration order. */
  checks: ReadinessCheckResult[];
  /** When it was evaluated (ISO time). */
  evaluatedAt: string;
}

/** One entity of the overview. @public */
export interface ReadinessOverviewItem {
  /** `component:default/chat-backend`. */
  entityRef: string;
  /** The entity's `metadata.title`, when it has one. */
  title?: string;
  /** Its `spec.system`. */
  system?: string;
  /** Its owner's entity ref (`group:default/chat-team`). */
  owner?: string;
  /** Its level; null when it reaches none. */
  level: string | null;
  /** The ids of its failing checks. */
  failing: string[];
}

/** Response of `GET /v1/overview`. @public */
export interface ReadinessOverview {
  /** The levels, lowest first. */
  levels: ReadinessLevel[];
  /** Every evaluated entity, by entity ref. */
  items: ReadinessOverviewItem[];
  /** Level id (or `none`) to the number of entities at it. */
  distribution: Record<string, number>;
  /** The checks that fail most, most first. */
  topFailing: { checkId: string; name: string; count: number }[];
  /** When the last evaluation ran; null before the first. */
  evaluatedAt: string | null;
}

/** Response of `GET /v1/trend`: per day, entities per level (`none` included). @public */
export interface ReadinessTrend {
  /** `date`: `YYYY-MM-DD` (UTC), oldest first, the last N days. */
  days: { date: string; counts: Record<string, number> }[];
}

/** The key of entities without a level in `distribution` and trend counts. @public */
export const NO_LEVEL = 'none';

/** One row of a heatmap: a system or a team, and its entities per level. @public */
export interface ReadinessMatrixRow {
  /** The system's name or the owner's ref as the items have them; `''` for none. */
  key: string;
  /** Level id (or `none`) to the number of its entities at it. */
  counts: Record<string, number>;
  /** Its entities. */
  total: number;
}

/**
 * Response of `GET /v1/summary`: the overview without its items, with the
 * heatmaps by system and by team. Small at any size of the estate.
 *
 * @public
 */
export interface ReadinessSummary extends Omit<ReadinessOverview, 'items'> {
  /** Every evaluated entity. */
  total: number;
  /** By system name, sorted by name, entities without a system last. */
  bySystem: ReadinessMatrixRow[];
  /** By owner ref, sorted likewise. */
  byOwner: ReadinessMatrixRow[];
}

/** Response of `GET /v1/entities`: one page of the evaluated entities. @public */
export interface ReadinessEntitiesPage {
  /** The page, sorted by entity ref. */
  items: ReadinessOverviewItem[];
  /** The entities that match the filters, on every page. */
  totalItems: number;
}
