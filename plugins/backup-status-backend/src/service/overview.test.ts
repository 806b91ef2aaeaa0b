import { Entity } from '@backstage/catalog-model';
import {
  BackupHealth,
  BackupOverviewItem,
} from '@platform-portal/backstage-plugin-backup-status-common';
import {
  buildOverview,
  filterOverview,
  OverviewFilter,
  OverviewRow,
  sortOverview,
  summarizeOverview,
} from './overview';

const AT = new Date('2026-11-20T12:00:00Z');
const POLICY = {
  schedule: '0 2 * * *',
  rpoHours: 24,
  retentionDays: 30,
  restoreTestIntervalDays: 7,
  rtoHours: 2,
  graceHours: 2,
};

function row(
  ref: string,
  status: BackupHealth,
  options: {
    owner?: string;
    policyName?: string;
    title?: string;
    ageHours?: number;
    restoreTest?: { status: 'succeeded' | 'failed'; finishedAt: string };
    knownPolicy?: boolean;
    sizeAnomaly?: boolean;
  } = {},
): OverviewRow {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const policyName = options.policyName ?? 'postgres-daily';
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace, title: options.title },
    spec: { owner: options.owner ?? 'team-chat' },
  };
  const item: BackupOverviewItem = {
    entityRef: ref,
    title: options.title ?? name,
    owner: options.owner ?? 'team-chat',
    policyName,
    policy:
      options.knownPolicy === false
        ? undefined
        : { name: policyName, ...POLICY },
    backup: {
      status,
      reasons: options.sizeAnomaly
        ? [
            {
              code: 'size_anomaly',
              severity: 'warning',
              message: 'Last backup 1.0 MB is 0.04 % of the median 2.7 GB',
            },
          ]
        : [],
      series: [],
      demo: false,
      ageHours: options.ageHours,
      lastRestoreTest: options.restoreTest && {
        type: 'restore-test',
        status: options.restoreTest.status,
        finishedAt: options.restoreTest.finishedAt,
        durationMinutes: 20,
      },
    },
  };
  return { entity, item };
}

const rows: OverviewRow[] = [
  row('resource:default/chat-db', 'ok', { ageHours: 3 }),
  row('component:default/redis', 'critical', {
    owner: 'group:default/team-platform',
    policyName: 'redis-daily',
    ageHours: 40,
  }),
  row('resource:default/tape-db', 'unknown', {
    policyName: 'nightly-tape',
    knownPolicy: false,
    title: 'Tape archive',
  }),
  row('resource:default/quote-db', 'warning', {
    owner: 'group:team-quotes',
    ageHours: 25,
  }),
  row('resource:other/chat-db', 'ok', { owner: 'group:other/team-chat' }),
];

describe('filterOverview', () => {
  it.each<[string, OverviewFilter, string[]]>([
    [
      'no filter keeps everything',
      {},
      [
        'resource:default/chat-db',
        'component:default/redis',
        'resource:default/tape-db',
        'resource:default/quote-db',
        'resource:other/chat-db',
      ],
    ],
    [
      'status',
      { status: 'ok' },
      ['resource:default/chat-db', 'resource:other/chat-db'],
    ],
    ['policy', { policy: 'redis-daily' }, ['component:default/redis']],
    [
      'owner as a plain name',
      { owner: 'team-chat' },
      ['resource:default/chat-db', 'resource:default/tape-db'],
    ],
    [
      'owner as a full ref matches a short spec.owner',
      { owner: 'group:default/team-quotes' },
      ['resource:default/quote-db'],
    ],
    [
      'owner in another namespace',
      { owner: 'group:other/team-chat' },
      ['resource:other/chat-db'],
    ],
    ['an unparseable owner matches nothing', { owner: 'group:' }, []],
    [
      'text in the ref, any case',
      { q: 'CHAT' },
      ['resource:default/chat-db', 'resource:other/chat-db'],
    ],
    ['text in the title', { q: 'archive' }, ['resource:default/tape-db']],
    [
      'filters combine',
      { q: 'chat', owner: 'team-chat' },
      ['resource:default/chat-db'],
    ],
    ['nothing matches', { status: 'ok', policy: 'redis-daily' }, []],
  ])('%s', (_name, filter, expected) => {
    expect(filterOverview(rows, filter).map(i => i.entityRef)).toEqual(
      expected,
    );
  });
});

describe('sortOverview', () => {
  it('puts the worst first, then orders by entity ref', () => {
    expect(sortOverview(rows.map(r => r.item)).map(i => i.entityRef)).toEqual([
      'component:default/redis',
      'resource:default/quote-db',
      'resource:default/tape-db',
      'resource:default/chat-db',
      'resource:other/chat-db',
    ]);
  });

  it('does not reorder its input', () => {
    const items = rows.map(r => r.item);
    sortOverview(items);
    expect(items[0].entityRef).toBe('resource:default/chat-db');
  });
});

describe('summarizeOverview', () => {
  const daysAgo = (d: number) =>
    new Date(AT.getTime() - d * 24 * 3_600_000).toISOString();

  it.each<[string, OverviewRow[], ReturnType<typeof summarizeOverview>]>([
    [
      'nothing',
      [],
      {
        total: 0,
        withinRpo: 0,
        restoreTestedLast7Days: 0,
        byStatus: { ok: 0, warning: 0, critical: 0, unknown: 0 },
        sizeAnomalies: 0,
      },
    ],
    [
      'counts per status, and within RPO up to the RPO itself',
      [
        row('resource:default/a', 'ok', { ageHours: 24 }),
        row('resource:default/b', 'warning', { ageHours: 24.1 }),
        row('resource:default/c', 'unknown', {
          ageHours: 1,
          knownPolicy: false,
        }),
        row('resource:default/d', 'critical'),
      ],
      {
        total: 4,
        withinRpo: 1,
        restoreTestedLast7Days: 0,
        byStatus: { ok: 1, warning: 1, critical: 1, unknown: 1 },
        sizeAnomalies: 0,
      },
    ],
    [
      'restore tests that succeeded in the last 7 days',
      [
        row('resource:default/a', 'ok', {
          restoreTest: { status: 'succeeded', finishedAt: daysAgo(7) },
        }),
        row('resource:default/b', 'ok', {
          restoreTest: { status: 'succeeded', finishedAt: daysAgo(7.01) },
        }),
        row('resource:default/c', 'critical', {
          restoreTest: { status: 'failed', finishedAt: daysAgo(1) },
        }),
      ],
      {
        total: 3,
        withinRpo: 0,
        restoreTestedLast7Days: 1,
        byStatus: { ok: 2, warning: 0, critical: 1, unknown: 0 },
        sizeAnomalies: 0,
      },
    ],
    [
      'entities whose last backup is empty or much smaller than usual',
      [
        row('resource:default/a', 'warning', { sizeAnomaly: true }),
        row('resource:default/b', 'ok'),
        row('resource:default/c', 'warning', { sizeAnomaly: true }),
      ],
      {
        total: 3,
        withinRpo: 0,
        restoreTestedLast7Days: 0,
        byStatus: { ok: 1, warning: 2, critical: 0, unknown: 0 },
        sizeAnomalies: 2,
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(
      summarizeOverview(
        input.map(r => r.item),
        AT,
      ),
    ).toEqual(expected);
  });
});

describe('buildOverview', () => {
  it('filters, sorts and summarises before it paginates', () => {
    const page = buildOverview(
      rows,
      { owner: 'team-chat', limit: 1, offset: 1 },
      AT,
    );
    expect(page.totalItems).toBe(2);
    expect(page.summary.total).toBe(2);
    expect(page.summary.byStatus).toMatchObject({ ok: 1, unknown: 1 });
    // tape-db (unknown) sorts before chat-db (ok)
    expect(page.items.map(i => i.entityRef)).toEqual([
      'resource:default/chat-db',
    ]);
  });

  it('returns an empty page past the end, with the totals', () => {
    const page = buildOverview(rows, { limit: 10, offset: 10 }, AT);
    expect(page.items).toEqual([]);
    expect(page.totalItems).toBe(5);
  });

  it('sorts a snapshot once, and a patched snapshot (a new rows array) again', () => {
    const all = { limit: 10, offset: 0 };
    const first = buildOverview(rows, all, AT).items.map(i => i.entityRef);
    expect(buildOverview(rows, all, AT).items.map(i => i.entityRef)).toEqual(
      first,
    );
    // an ingest patched the last row to critical: it moves up among them
    const last = rows.find(r => r.item.entityRef === first[first.length - 1])!;
    const patched = rows.map(r =>
      r === last
        ? {
            ...r,
            item: {
              ...r.item,
              backup: { ...r.item.backup, status: 'critical' as const },
            },
          }
        : r,
    );
    const again = buildOverview(patched, all, AT).items.map(i => i.entityRef);
    expect(again).not.toEqual(first);
    expect(again).toEqual(
      sortOverview(patched.map(r => r.item)).map(i => i.entityRef),
    );
    expect(again.indexOf(last.item.entityRef)).toBeLessThan(first.length - 1);
  });
});
