import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ReadinessStore } from './ReadinessStore';
import { EntityEvaluation } from './rows';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const evaluation = (
  name: string,
  level: string | null,
  at: Date,
  over: Partial<EntityEvaluation> = {},
): EntityEvaluation => ({
  entityRef: `component:default/${name}`,
  title: name.toUpperCase(),
  system: 'chat',
  owner: 'group:default/chat-team',
  level,
  failing: level === 'gold' ? [] : ['deploy-frequency'],
  checks: [
    {
      id: 'deploy-frequency',
      result: level === 'gold' ? 'pass' : 'fail',
      ...(level === 'gold'
        ? {}
        : { why: 'production deploys per week is 2.3, target > 5' }),
    },
  ],
  evaluatedAt: at,
  ...over,
});

describe.each(databases.eachSupportedId())('ReadinessStore on %s', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const store = await ReadinessStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { store, knex };
  }

  it('replaces evaluations, returns the levels before and keeps one history row per entity and day', async () => {
    const { store, knex } = await createStore();
    const day1 = new Date('2026-11-28T08:00:00Z');
    const first = await store.replaceEvaluations(
      [
        evaluation('a', 'gold', day1),
        evaluation('b', null, day1),
        evaluation('c', 'bronze', day1),
      ],
      day1,
    );
    expect(first.size).toBe(0);

    // later the same day: a drops, c is gone from the catalog, d is new
    const later = new Date('2026-11-28T20:00:00Z');
    const before = await store.replaceEvaluations(
      [
        evaluation('a', 'silver', later),
        evaluation('b', null, later),
        evaluation('d', 'gold', later),
      ],
      later,
    );
    expect(Object.fromEntries(before)).toEqual({
      'component:default/a': 'gold',
      'component:default/b': null,
      'component:default/c': 'bronze',
    });

    const overview = await store.listOverview();
    expect(overview.map(o => [o.entityRef, o.level])).toEqual([
      ['component:default/a', 'silver'],
      ['component:default/b', null],
      ['component:default/d', 'gold'],
    ]);
    expect(overview[0]).toEqual({
      entityRef: 'component:default/a',
      title: 'A',
      system: 'chat',
      owner: 'group:default/chat-team',
      level: 'silver',
      failing: ['deploy-frequency'],
      evaluatedAt: later,
    });

    const a = await store.getEvaluation('component:default/a');
    expect(a?.checks).toEqual([
      {
        id: 'deploy-frequency',
        result: 'fail',
        why: 'production deploys per week is 2.3, target > 5',
      },
    ]);
    expect(await store.getEvaluation('component:default/c')).toBeUndefined();

    // the day's history holds the last evaluation of the day; c's row stays
    const day2 = new Date('2026-11-29T08:00:00Z');
    await store.replaceEvaluations([evaluation('a', 'gold', day2)], day2);
    const [{ n }] = await knex('readiness_history').count({ n: '*' });
    expect(Number(n)).toBe(5); // 11-28: a b c d, 11-29: a
    expect(await store.countLevelsByDay('2026-11-28')).toEqual(
      expect.arrayContaining([
        { day: '2026-11-28', level: 'silver', count: 1 },
        { day: '2026-11-28', level: null, count: 1 },
        { day: '2026-11-28', level: 'bronze', count: 1 },
        { day: '2026-11-28', level: 'gold', count: 1 },
        { day: '2026-11-29', level: 'gold', count: 1 },
      ]),
    );
    expect(await store.countLevelsByDay('2026-11-29')).toEqual([
      { day: '2026-11-29', level: 'gold', count: 1 },
    ]);

    expect(await store.deleteHistoryBefore('2026-11-29')).toBe(4);
    expect(await store.countLevelsByDay('2000-01-01')).toHaveLength(1);
  });

  it('stores 10,000 entities in one run', async () => {
    const { store } = await createStore();
    const at = new Date('2026-11-30T00:00:00Z');
    const many = Array.from({ length: 10_000 }, (_, i) =>
      evaluation(
        `svc-${String(i).padStart(5, '0')}`,
        i % 2 ? 'gold' : 'bronze',
        at,
      ),
    );
    await store.replaceEvaluations(many, at);
    const overview = await store.listOverview();
    expect(overview).toHaveLength(10_000);
    expect(overview[9_999].entityRef).toBe('component:default/svc-09999');
  });

  it('migrates down and up again', async () => {
    const { knex } = await createStore();
    await knex.migrate.rollback(
      {
        directory: require('node:path').resolve(__dirname, '../../migrations'),
      },
      true,
    );
    expect(await knex.schema.hasTable('readiness_entities')).toBe(false);
    await createStore();
  });
});
