import {
  EntityReadiness,
  NO_LEVEL,
  ReadinessEntitiesPage,
  ReadinessEntitiesQuery,
  ReadinessOverview,
  ReadinessSummary,
  ReadinessTrend,
} from '@platform-portal/backstage-plugin-readiness-common';

/**
 * Answers in the shapes of READINESS-CONTRACT.md, for the component tests'
 * FAKE ReadinessApi (the browser test reads the real backend).
 */

/** The fixtures' times are relative to when the test runs. */
export const NOW = Date.now();

/** chat-backend at bronze: silver fails on backups, gold has no data. */
export const chatBackend: EntityReadiness = {
  entityRef: 'component:default/chat-backend',
  level: 'bronze',
  evaluatedAt: new Date(NOW - 5 * 60_000).toISOString(),
  checks: [
    {
      id: 'owner-is-group',
      name: 'Owner is a group',
      description: 'spec.owner names a Group of the catalog',
      level: 'bronze',
      category: 'catalog',
      result: 'pass',
    },
    {
      id: 'health-probe',
      name: 'Health probe configured',
      description: 'A production health URL is set and answers',
      level: 'bronze',
      category: 'deploys',
      result: 'not-applicable',
      why: 'not deployed to production by a pipeline we watch',
    },
    {
      id: 'backups-within-rpo',
      name: 'Backups within RPO',
      description:
        'The last successful backup of the service and of every stateful resource it depends on is within its RPO (24 h)',
      level: 'silver',
      category: 'backups',
      result: 'fail',
      why: 'resource:default/chat-backend-db: last success 31 h ago, RPO 24 h',
      fix: {
        title: 'Backup and restore runbook',
        url: '/docs/default/system/platform-portal/runbooks/backup-restore/',
      },
    },
    {
      id: 'runbook-linked',
      name: 'Runbook linked',
      description: 'metadata.links has a runbook',
      level: 'silver',
      category: 'docs',
      result: 'pass',
    },
    {
      id: 'restore-within-rto',
      name: 'Restore within RTO',
      description: 'The last restore test finished within the RTO',
      level: 'gold',
      category: 'backups',
      result: 'no-data',
      why: 'resource:default/chat-backend-db: no restore test reported',
      fix: {
        title: 'Add a restore test',
        url: '/create/templates/default/restore-test',
      },
    },
  ],
};

export const overview: ReadinessOverview = {
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
    { id: 'gold', title: 'Gold' },
  ],
  items: [
    {
      entityRef: 'component:default/chat-backend',
      title: 'Chat Backend',
      system: 'chat',
      owner: 'group:default/chat-team',
      level: 'bronze',
      failing: ['backups-within-rpo'],
    },
    {
      entityRef: 'component:default/chat-web',
      title: 'Chat Web',
      system: 'chat',
      owner: 'group:default/chat-team',
      level: 'gold',
      failing: [],
    },
    {
      entityRef: 'component:default/mana-core-auth',
      title: 'mana-core-auth',
      system: 'mana-core',
      owner: 'group:default/platform-team',
      level: 'silver',
      failing: ['deploys-per-week'],
    },
    {
      entityRef: 'component:default/scratch',
      level: null,
      failing: ['owner-is-group', 'backups-within-rpo'],
    },
  ],
  distribution: { none: 1, bronze: 1, silver: 1, gold: 1 },
  topFailing: [
    { checkId: 'backups-within-rpo', name: 'Backups within RPO', count: 2 },
    { checkId: 'owner-is-group', name: 'Owner is a group', count: 1 },
    { checkId: 'deploys-per-week', name: 'Deploys per week', count: 1 },
  ],
  evaluatedAt: new Date(NOW - 60 * 60_000).toISOString(),
};

/** `GET /v1/summary` of the same estate: the heatmaps as the backend counts them. */
export const summary: ReadinessSummary = {
  levels: overview.levels,
  distribution: overview.distribution,
  topFailing: overview.topFailing,
  evaluatedAt: overview.evaluatedAt,
  total: 4,
  bySystem: [
    { key: 'chat', counts: { bronze: 1, gold: 1 }, total: 2 },
    { key: 'mana-core', counts: { silver: 1 }, total: 1 },
    { key: '', counts: { none: 1 }, total: 1 },
  ],
  byOwner: [
    {
      key: 'group:default/chat-team',
      counts: { bronze: 1, gold: 1 },
      total: 2,
    },
    { key: 'group:default/platform-team', counts: { silver: 1 }, total: 1 },
    { key: '', counts: { none: 1 }, total: 1 },
  ],
};

/**
 * FAKE of `GET /v1/entities` over the overview's items, following the
 * contract: every filter given must match, a term is looked for in the ref,
 * title, system and owner, then the page.
 */
export function entitiesPage(
  query: Partial<ReadinessEntitiesQuery>,
): ReadinessEntitiesPage {
  const term = query.q?.toLocaleLowerCase('en-US');
  const matching = overview.items.filter(
    item =>
      (query.system === undefined || (item.system ?? '') === query.system) &&
      (query.owner === undefined || (item.owner ?? '') === query.owner) &&
      (query.level === undefined || (item.level ?? NO_LEVEL) === query.level) &&
      (!term ||
        [item.entityRef, item.title, item.system, item.owner].some(v =>
          v?.toLocaleLowerCase('en-US').includes(term),
        )),
  );
  const offset = query.offset ?? 0;
  return {
    items: structuredClone(
      matching.slice(offset, offset + (query.limit ?? 50)),
    ),
    totalItems: matching.length,
  };
}

export const trend: ReadinessTrend = {
  days: [
    { date: '2026-11-21', counts: {} },
    { date: '2026-11-22', counts: { none: 3, bronze: 1 } },
    { date: '2026-11-23', counts: { none: 1, bronze: 1, silver: 1, gold: 1 } },
  ],
};

export const csv = [
  'entityRef,title,system,owner,level,failing',
  'component:default/chat-backend,Chat Backend,chat,group:default/chat-team,bronze,backups-within-rpo',
  '',
].join('\n');
