import {
  NO_LEVEL,
  ReadinessEntitiesPage,
  ReadinessEntitiesQuery,
  ReadinessMatrixRow,
  ReadinessOverview,
  ReadinessOverviewItem,
  ReadinessSummary,
} from '@platform-portal/backstage-plugin-readiness-common';

/*
 * The two views of the overview that the readiness page reads, both built
 * from the overview the response cache holds (every entity, once per
 * evaluation), so that neither costs a query: the summary (the heatmaps are
 * counted here, once, instead of in every browser) and one page of the
 * entities (a pass over the items in memory, then only the page is sent).
 */

/** Counts the items per level for each system or owner, sorted by name, none last. */
export function buildMatrix(
  items: ReadinessOverviewItem[],
  by: 'system' | 'owner',
): ReadinessMatrixRow[] {
  const rows = new Map<string, ReadinessMatrixRow>();
  for (const item of items) {
    const key = item[by] ?? '';
    let row = rows.get(key);
    if (!row) {
      row = { key, counts: {}, total: 0 };
      rows.set(key, row);
    }
    const level = item.level ?? NO_LEVEL;
    row.counts[level] = (row.counts[level] ?? 0) + 1;
    row.total += 1;
  }
  return [...rows.values()].sort((a, b) => {
    if (!a.key || !b.key) return a.key ? -1 : 1;
    return a.key.localeCompare(b.key);
  });
}

/** `GET /v1/summary`: the overview without its items, with the heatmaps. */
export function summarize(overview: ReadinessOverview): ReadinessSummary {
  const { items, ...rest } = overview;
  return {
    ...rest,
    total: items.length,
    bySystem: buildMatrix(items, 'system'),
    byOwner: buildMatrix(items, 'owner'),
  };
}

/**
 * The lower-case text a search term is looked for in, per item: built once
 * per overview (the items of one evaluation), not per request.
 */
const searchTexts = new WeakMap<ReadinessOverviewItem[], string[]>();

function searchTextsOf(items: ReadinessOverviewItem[]): string[] {
  let texts = searchTexts.get(items);
  if (!texts) {
    texts = items.map(item =>
      [item.entityRef, item.title, item.system, item.owner]
        .filter(Boolean)
        .join('\n')
        .toLocaleLowerCase('en-US'),
    );
    searchTexts.set(items, texts);
  }
  return texts;
}

function matchesFilters(
  item: ReadinessOverviewItem,
  query: ReadinessEntitiesQuery,
): boolean {
  if (query.system !== undefined && (item.system ?? '') !== query.system) {
    return false;
  }
  if (query.owner !== undefined && (item.owner ?? '') !== query.owner) {
    return false;
  }
  return query.level === undefined || (item.level ?? NO_LEVEL) === query.level;
}

/**
 * `GET /v1/entities`: the page of the items (in entity ref order) that match
 * the filters and whose ref, title, system or owner holds the search term.
 */
export function pageEntities(
  items: ReadinessOverviewItem[],
  query: ReadinessEntitiesQuery,
): ReadinessEntitiesPage {
  const term = query.q ? query.q.toLocaleLowerCase('en-US') : undefined;
  const texts = term ? searchTextsOf(items) : undefined;
  const page: ReadinessOverviewItem[] = [];
  let totalItems = 0;
  items.forEach((item, index) => {
    if (texts && !texts[index].includes(term!)) return;
    if (!matchesFilters(item, query)) return;
    if (totalItems >= query.offset && page.length < query.limit) {
      page.push(item);
    }
    totalItems += 1;
  });
  return { items: page, totalItems };
}
