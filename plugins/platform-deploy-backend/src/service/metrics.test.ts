import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DeploymentStore } from '../database/DeploymentStore';
import { NewDeploymentEvent } from '../types';
import { computeMetrics } from './metrics';
import { metricsAggregatesOf } from '../domain/metricsAggregates';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const from = new Date('2026-11-02T00:00:00Z'); // a Monday
const to = new Date('2026-11-16T00:00:00Z'); // two weeks later

/** An event that happened at `iso` (its end if it has one, else its arrival). */
function ev(
  status: NewDeploymentEvent['status'],
  iso: string,
  extra: Partial<NewDeploymentEvent> = {},
): NewDeploymentEvent {
  return {
    entityRef: 'component:default/a',
    environment: 'production',
    version: 'main-abc1234',
    status,
    idempotencyKey: `key-${Math.random()}`,
    source: 'http',
    receivedAt: new Date(iso),
    ...extra,
  };
}

/** A production deploy of `seconds`, ending on 2026-11-03. */
const lasting = (seconds: number) =>
  ev('succeeded', '2026-11-03T10:00:00Z', {
    startedAt: new Date(Date.parse('2026-11-03T10:00:00Z') - seconds * 1000),
    finishedAt: new Date('2026-11-03T10:00:00Z'),
  });

describe.each(databases.eachSupportedId())('metrics on %s', id => {
  /** The figures of the window over `events`, aggregated by the real store. */
  async function metricsOf(
    events: NewDeploymentEvent[],
    seen: { maxRows: number } = { maxRows: 0 },
  ) {
    const knex = await databases.init(id);
    const store = await DeploymentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    if (events.length) await store.insertEvents(events);
    // the most rows any query of the metrics returned
    const onResponse = (response: unknown) => {
      if (Array.isArray(response)) {
        seen.maxRows = Math.max(seen.maxRows, response.length);
      }
    };
    knex.on('query-response', onResponse);
    const aggregates = await store.metricsAggregates({
      from,
      to,
      environment: 'production',
    });
    knex.off('query-response', onResponse);
    return computeMetrics({ aggregates, from, to });
  }

  it('takes quantiles by nearest rank', async () => {
    expect((await metricsOf([])).medianDurationSeconds.value).toBeNull();
    expect(
      (await metricsOf([3, 1, 2].map(lasting))).medianDurationSeconds.value,
    ).toBe(2);
    expect(
      (await metricsOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(lasting)))
        .p90DurationSeconds.value,
    ).toBe(9);
  });

  it('reports nulls, not zeros, when nothing happened', async () => {
    const m = await metricsOf([]);
    expect(m.successRate.value).toBeNull();
    expect(m.successRate.met).toBeNull();
    expect(m.deploysPerWeek.value).toBe(0);
    expect(m.deploysPerWeek.met).toBe(false);
    expect(m.weekly).toHaveLength(3);
  });

  it('computes rates, durations, lead time and time to restore on production only', async () => {
    const events = [
      ev('succeeded', '2026-11-03T10:10:00Z', {
        startedAt: new Date('2026-11-03T10:00:00Z'),
        finishedAt: new Date('2026-11-03T10:10:00Z'),
        commitTimestamp: new Date('2026-11-03T08:10:00Z'),
      }),
      ev('failed', '2026-11-04T10:05:00Z', {
        startedAt: new Date('2026-11-04T10:00:00Z'),
        finishedAt: new Date('2026-11-04T10:05:00Z'),
      }),
      ev('succeeded', '2026-11-04T10:35:00Z', {
        startedAt: new Date('2026-11-04T10:31:00Z'),
        finishedAt: new Date('2026-11-04T10:35:00Z'),
        commitTimestamp: new Date('2026-11-04T09:35:00Z'),
      }),
      ev('rolled_back', '2026-11-10T12:00:00Z'),
      ev('started', '2026-11-11T12:00:00Z'),
      ev('succeeded', '2026-11-10T12:00:00Z', { environment: 'staging' }),
      ev('succeeded', '2026-10-01T12:00:00Z'), // outside the window
    ];
    const m = await metricsOf(events);
    expect(m.successRate.value).toBeCloseTo(2 / 4);
    expect(m.changeFailureRate.value).toBeCloseTo(2 / 4);
    expect(m.deploysPerWeek.value).toBe(1);
    expect(m.medianDurationSeconds.value).toBe(300);
    expect(m.p90DurationSeconds.value).toBe(600);
    expect(m.p90DurationSeconds.met).toBe(true);
    expect(m.leadTimeSeconds.value).toBe(3600);
    // failed at 10:05, recovered at 10:35; the rollback never recovered.
    expect(m.timeToRestoreSeconds.value).toBe(1800);
    expect(m.weekly[0]).toEqual({
      weekStart: '2026-11-02T00:00:00.000Z',
      succeeded: 2,
      failed: 1,
    });
    expect(m.weekly[1]).toMatchObject({ succeeded: 0, failed: 1 });
  });

  it('restores to the next success of the same entity only, within the window', async () => {
    const m = await metricsOf([
      ev('failed', '2026-11-05T10:00:00Z'),
      // another entity's success does not restore component:default/a
      ev('succeeded', '2026-11-05T10:10:00Z', {
        entityRef: 'component:default/b',
      }),
      ev('succeeded', '2026-11-05T11:00:00Z'),
      ev('succeeded', '2026-11-05T12:00:00Z'),
      // b fails and recovers after the window ends: no restore time
      ev('failed', '2026-11-15T23:00:00Z', {
        entityRef: 'component:default/b',
      }),
      ev('succeeded', '2026-11-16T01:00:00Z', {
        entityRef: 'component:default/b',
      }),
    ]);
    expect(m.timeToRestoreSeconds.value).toBe(3600);
    expect(m.changeFailureRate.value).toBeCloseTo(2 / 5);
  });

  it('answers from a bounded result whatever the number of events', async () => {
    // 500 production deploys over the two weeks: the figures come from
    // counts, single-row quantiles and one row per day.
    const events = Array.from({ length: 500 }, (_, i) => {
      const end = from.getTime() + i * 2_400_000 + 300_000;
      return ev(i % 10 === 0 ? 'failed' : 'succeeded', '', {
        receivedAt: new Date(end),
        startedAt: new Date(end - (60 + (i % 100)) * 1000),
        finishedAt: new Date(end),
      });
    });
    const seen = { maxRows: 0 };
    const m = await metricsOf(events, seen);
    // at most one row per day of the window (14 days, 15 dates)
    expect(seen.maxRows).toBeGreaterThan(0);
    expect(seen.maxRows).toBeLessThanOrEqual(15);
    expect(m.successRate.value).toBeCloseTo(0.9);
    expect(m.medianDurationSeconds.value).toBe(109);
    expect(m.p90DurationSeconds.value).toBe(149);
    expect(m.weekly.reduce((n, w) => n + w.succeeded + w.failed, 0)).toBe(500);
  });

  it('aggregates in SQL exactly as the JS definition does, on random events', async () => {
    // a small deterministic PRNG (mulberry32): the same events every run
    let state = 20261202;
    const random = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const refs = ['a', 'b', 'c', 'd'].map(n => `component:default/${n}`);
    const systemOf = (ref: string) =>
      ref.endsWith('/a') || ref.endsWith('/b') ? 'one' : 'two';
    const span = to.getTime() - from.getTime();
    const events = Array.from({ length: 400 }, (_, i) => {
      // some before and after the window; whole minutes make ties
      const end =
        from.getTime() -
        span / 10 +
        Math.floor((random() * span * 1.2) / 60_000) * 60_000 +
        (random() < 0.3 ? Math.floor(random() * 1000) : 0);
      const started = random() < 0.8;
      const finished = random() < 0.85;
      return ev(
        pick(['succeeded', 'succeeded', 'failed', 'rolled_back', 'started']),
        '',
        {
          entityRef: pick(refs),
          environment: random() < 0.85 ? 'production' : 'staging',
          idempotencyKey: `random-${i}`,
          receivedAt: new Date(end + 5000),
          startedAt: started
            ? new Date(end - Math.floor(random() * 1_800_000))
            : undefined,
          finishedAt: finished ? new Date(end) : undefined,
          commitTimestamp:
            random() < 0.7
              ? new Date(end - Math.floor(random() * 172_800_000))
              : undefined,
        },
      );
    });
    const knex = await databases.init(id);
    const store = await DeploymentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await store.upsertEntities(
      refs.map(entityRef => ({
        entityRef,
        name: entityRef.split('/')[1],
        system: systemOf(entityRef),
        environments: ['staging', 'production'],
        healthUrls: {},
        trusted: true,
      })),
      new Date(),
    );
    await store.insertEvents(events);
    const scopes = [
      {},
      { entityRef: 'component:default/a' },
      { system: 'two' },
      { entityRef: 'component:default/none' },
    ];
    for (const scope of scopes) {
      const options = { from, to, environment: 'production', ...scope };
      const sql = await store.metricsAggregates(options);
      const js = metricsAggregatesOf(events, { ...options, systemOf });
      expect({ scope, ...sql }).toEqual({ scope, ...js });
    }
    // the data exercise every figure
    const all = metricsAggregatesOf(events, {
      from,
      to,
      environment: 'production',
    });
    expect(all.terminal).toBeGreaterThan(100);
    expect(all.timeToRestoreSeconds.p50).not.toBeNull();
    expect(all.leadTimeSeconds.p50).not.toBeNull();
  });
});
