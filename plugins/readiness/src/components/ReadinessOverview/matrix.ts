import { ReadinessOverviewItem } from '@platform-portal/backstage-plugin-readiness-common';
import { NONE } from '../shared/levels';

/** The groupings of the matrices: by system and by team (the owner). */
export type MatrixGrouping = 'system' | 'owner';

/** One row of a matrix: a system or a team, and its entities per level. */
export type MatrixRow = {
  /** The system's or owner's ref as the overview has it; `''` for none. */
  key: string;
  counts: Record<string, number>;
  total: number;
};

/**
 * Counts the items per level for each system or owner, rows sorted by name
 * with the items that have none last.
 */
export function buildMatrix(
  items: ReadinessOverviewItem[],
  by: MatrixGrouping,
): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  for (const item of items) {
    const key = item[by] ?? '';
    let row = rows.get(key);
    if (!row) {
      row = { key, counts: {}, total: 0 };
      rows.set(key, row);
    }
    const level = item.level ?? NONE;
    row.counts[level] = (row.counts[level] ?? 0) + 1;
    row.total += 1;
  }
  return [...rows.values()].sort((a, b) => {
    if (!a.key || !b.key) return a.key ? -1 : 1;
    return a.key.localeCompare(b.key);
  });
}

/** Does the item match the filter the user set by clicking a matrix cell? */
export function matchesFilter(
  item: ReadinessOverviewItem,
  filter: { by: MatrixGrouping; key: string; level?: string } | undefined,
): boolean {
  if (!filter) return true;
  if ((item[filter.by] ?? '') !== filter.key) return false;
  return filter.level === undefined || (item.level ?? NONE) === filter.level;
}
