import { MetricsEvent } from '../types';
import { computeMetrics, quantile } from './metrics';

const from = new Date('2026-11-02T00:00:00Z'); // a Monday
const to = new Date('2026-11-16T00:00:00Z'); // two weeks later

function ev(
  status: string,
  iso: string,
  extra: Partial<MetricsEvent> = {},
): MetricsEvent {
  return {
    entityRef: 'component:default/a',
    environment: 'production',
    status,
    eventAt: new Date(iso),
    ...extra,
  };
}

describe('quantile', () => {
  it('uses nearest rank', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });
});

describe('computeMetrics', () => {
  it('reports nulls, not zeros, when nothing happened', () => {
    const m = computeMetrics({
      events: [],
      from,
      to,
      productionEnvironment: 'production',
    });
    expect(m.successRate.value).toBeNull();
    expect(m.successRate.met).toBeNull();
    expect(m.deploysPerWeek.value).toBe(0);
    expect(m.deploysPerWeek.met).toBe(false);
    expect(m.weekly).toHaveLength(3);
  });

  it('computes rates, durations, lead time and time to restore on production only', () => {
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
    const m = computeMetrics({
      events,
      from,
      to,
      productionEnvironment: 'production',
    });
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
});
