import { Entity } from '@backstage/catalog-model';
import {
  BackupHealth,
  BackupOverviewItem,
  BackupOverviewResponse,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { ownerMatches } from './entityRefs';
import { OverviewQuery } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Worst first. */
const STATUS_ORDER: Record<BackupHealth, number> = {
  critical: 0,
  warning: 1,
  unknown: 2,
  ok: 3,
};

/** An entity and its computed overview row (one row of the status snapshot). */
export interface OverviewRow {
  entity: Entity;
  item: BackupOverviewItem;
}

/** The query's filters without pagination. */
export type OverviewFilter = Pick<
  OverviewQuery,
  'status' | 'policy' | 'owner' | 'q'
>;

/**
 * The rows matching every given filter: `status` and `policy` exactly,
 * `owner` as an owner ref in any short form, `q` as a case-insensitive part of
 * the entity ref or title.
 */
export function filterOverview(
  rows: OverviewRow[],
  query: OverviewFilter,
): BackupOverviewItem[] {
  const needle = query.q?.toLocaleLowerCase('en-US');
  return rows
    .filter(({ entity, item }) => {
      if (query.status && item.backup.status !== query.status) return false;
      if (query.policy && item.policyName !== query.policy) return false;
      if (query.owner && !ownerMatches(entity, query.owner)) return false;
      if (
        needle &&
        !item.entityRef.includes(needle) &&
        !item.title?.toLocaleLowerCase('en-US').includes(needle)
      ) {
        return false;
      }
      return true;
    })
    .map(({ item }) => item);
}

/** Worst status first (critical, warning, unknown, ok), then by entity ref. */
export function sortOverview(
  items: BackupOverviewItem[],
): BackupOverviewItem[] {
  return [...items].sort(
    (a, b) =>
      STATUS_ORDER[a.backup.status] - STATUS_ORDER[b.backup.status] ||
      a.entityRef.localeCompare(b.entityRef),
  );
}

/**
 * Counts over `items` at `at`: per status, within their RPO (the last good
 * backup is at most `rpoHours` old), and with a restore test that succeeded
 * in the 7 days before `at`, and with a backup size anomaly (`size_anomaly`:
 * the last backup empty or much smaller than usual).
 */
export function summarizeOverview(
  items: BackupOverviewItem[],
  at: Date,
): BackupOverviewResponse['summary'] {
  const sevenDaysAgo = at.getTime() - 7 * DAY_MS;
  const byStatus: Record<BackupHealth, number> = {
    ok: 0,
    warning: 0,
    critical: 0,
    unknown: 0,
  };
  let withinRpo = 0;
  let restoreTestedLast7Days = 0;
  let sizeAnomalies = 0;
  for (const item of items) {
    byStatus[item.backup.status] += 1;
    if (item.backup.reasons.some(r => r.code === 'size_anomaly')) {
      sizeAnomalies += 1;
    }
    if (
      item.policy &&
      item.backup.ageHours !== undefined &&
      item.backup.ageHours <= item.policy.rpoHours
    ) {
      withinRpo += 1;
    }
    const test = item.backup.lastRestoreTest;
    if (
      test?.status === 'succeeded' &&
      Date.parse(test.finishedAt) >= sevenDaysAgo
    ) {
      restoreTestedLast7Days += 1;
    }
  }
  return {
    total: items.length,
    withinRpo,
    restoreTestedLast7Days,
    byStatus,
    sizeAnomalies,
  };
}

/**
 * The rows of each snapshot worst first, sorted once: a snapshot's rows
 * array is never changed in place (a build or a patch makes a new one), so
 * its sorted copy serves every request until the next. Sorting 100,000 rows
 * (`localeCompare` on the refs) took about 300 ms, on every request.
 */
const sortedRows = new WeakMap<OverviewRow[], OverviewRow[]>();

function sortedOnce(rows: OverviewRow[]): OverviewRow[] {
  let sorted = sortedRows.get(rows);
  if (!sorted) {
    const order = new Map(
      sortOverview(rows.map(row => row.item)).map((item, i) => [item, i]),
    );
    sorted = [...rows].sort((a, b) => order.get(a.item)! - order.get(b.item)!);
    sortedRows.set(rows, sorted);
  }
  return sorted;
}

/** The overview response: filtered, sorted, summarised, then paginated. */
export function buildOverview(
  rows: OverviewRow[],
  query: OverviewQuery,
  at: Date,
): BackupOverviewResponse {
  // filtering keeps the order of the sorted rows
  const items = filterOverview(sortedOnce(rows), query);
  return {
    items: items.slice(query.offset, query.offset + query.limit),
    totalItems: items.length,
    summary: summarizeOverview(items, at),
  };
}
