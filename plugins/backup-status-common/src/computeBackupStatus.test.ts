import { computeBackupStatus } from './computeBackupStatus';
import { BackupPolicy, BackupReasonCode, BackupRun } from './types';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const policy: BackupPolicy = {
  name: 'postgres-daily',
  schedule: '0 2 * * *',
  rpoHours: 24,
  retentionDays: 30,
  restoreTestIntervalDays: 7,
  rtoHours: 2,
  graceHours: 2,
};

let seq = 0;
/** A run finishing `hoursAgo` before NOW, lasting `minutes`. */
function run(
  hoursAgo: number,
  overrides: Partial<BackupRun> = {},
  minutes = 10,
): BackupRun {
  const finished = NOW.getTime() - hoursAgo * HOUR;
  seq += 1;
  return {
    entityRef: 'component:default/postgres',
    type: 'backup',
    status: 'succeeded',
    startedAt: new Date(finished - minutes * 60000).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    idempotencyKey: `k-${seq}`,
    ...overrides,
  };
}

/** A healthy history: a backup at 02:00 UTC every day for `days` days. */
function dailyBackups(days: number): BackupRun[] {
  // NOW is 12:00, so today's 02:00 backup finished 10 h ago.
  return Array.from({ length: days }, (_, i) => run(10 + i * 24));
}

const goodRestore = run(48, { type: 'restore-test' }, 30);

describe('computeBackupStatus', () => {
  it.each<{
    name: string;
    runs: BackupRun[];
    policy?: BackupPolicy;
    status: string;
    codes: BackupReasonCode[];
  }>([
    {
      name: 'no policy',
      policy: undefined,
      runs: dailyBackups(3),
      status: 'unknown',
      codes: ['no_policy'],
    },
    { name: 'no runs', runs: [], status: 'unknown', codes: ['no_runs'] },
    {
      name: 'healthy history',
      runs: [...dailyBackups(30), goodRestore],
      status: 'ok',
      codes: [],
    },
    {
      name: 'only failed backups',
      runs: [run(10, { status: 'failed' }), goodRestore],
      status: 'critical',
      codes: ['no_good_backup', 'last_run_failed'],
    },
    {
      name: 'RPO late but within grace (25 h)',
      runs: [run(25), goodRestore],
      status: 'warning',
      codes: ['rpo_breached'],
    },
    {
      name: 'RPO exactly at the limit (24 h) is still ok',
      runs: [run(24), goodRestore],
      status: 'ok',
      codes: [],
    },
    {
      name: 'RPO beyond grace (26.5 h)',
      runs: [run(26.5), goodRestore],
      status: 'critical',
      codes: ['rpo_breached'],
    },
    {
      name: 'latest run failed but last good backup is recent',
      runs: [run(1, { status: 'failed' }), run(10), goodRestore],
      status: 'warning',
      codes: ['last_run_failed'],
    },
    {
      name: 'a missed night three days ago',
      runs: [...dailyBackups(10).filter((_, i) => i !== 3), goodRestore],
      status: 'warning',
      codes: ['missing_days'],
    },
    {
      name: 'retention shorter than promised',
      runs: [
        run(10, {
          oldestKeptAt: new Date(NOW.getTime() - 3 * DAY).toISOString(),
        }),
        ...dailyBackups(10).slice(1),
        goodRestore,
      ],
      status: 'warning',
      codes: ['retention_short'],
    },
    {
      name: 'retention fine when oldest kept covers the window',
      runs: [
        run(10, {
          oldestKeptAt: new Date(NOW.getTime() - 31 * DAY).toISOString(),
        }),
        ...dailyBackups(10).slice(1),
        goodRestore,
      ],
      status: 'ok',
      codes: [],
    },
    {
      name: 'no restore test ever',
      runs: dailyBackups(2),
      status: 'warning',
      codes: ['restore_test_missing'],
    },
    {
      name: 'latest restore test failed',
      runs: [
        ...dailyBackups(2),
        run(20, {
          type: 'restore-test',
          status: 'failed',
          message: 'pg_restore exited 1',
        }),
        goodRestore,
      ],
      status: 'critical',
      codes: ['restore_test_failed'],
    },
    {
      name: 'restore test overdue (10 days)',
      runs: [...dailyBackups(2), run(240, { type: 'restore-test' })],
      status: 'warning',
      codes: ['restore_test_overdue'],
    },
    {
      name: 'a recent successful drill counts as restore evidence',
      runs: [...dailyBackups(2), run(30, { type: 'drill' }, 45)],
      status: 'ok',
      codes: [],
    },
    {
      name: 'restore slower than RTO (3 h vs 2 h)',
      runs: [...dailyBackups(2), run(30, { type: 'restore-test' }, 180)],
      status: 'warning',
      codes: ['restore_over_rto'],
    },
  ])('$name → $status', ({ runs, status, codes, ...rest }) => {
    const result = computeBackupStatus(
      'policy' in rest ? rest.policy : policy,
      runs,
      NOW,
    );
    expect(result.status).toBe(status);
    expect(result.reasons.map(r => r.code).sort()).toEqual([...codes].sort());
    for (const reason of result.reasons) {
      expect(reason.message.length).toBeGreaterThan(10);
    }
  });

  it('builds a 30-day UTC series ending today with ok/failed/missing/pending', () => {
    const runs = [
      run(10, { sizeBytes: 500 }), // 2026-11-23 02:00
      run(34, { status: 'failed' }), // 2026-11-22 02:00
      // 2026-11-21: nothing
      run(82, { sizeBytes: 400 }), // 2026-11-20 02:00
    ];
    const { series } = computeBackupStatus(policy, runs, NOW);
    expect(series).toHaveLength(30);
    expect(series[0].date).toBe('2026-10-25');
    expect(series.slice(-4)).toEqual([
      { date: '2026-11-20', result: 'ok', sizeBytes: 400 },
      { date: '2026-11-21', result: 'missing' },
      { date: '2026-11-22', result: 'failed' },
      { date: '2026-11-23', result: 'ok', sizeBytes: 500 },
    ]);
    const early = computeBackupStatus(
      policy,
      [],
      new Date('2026-11-23T01:00:00Z'),
    );
    expect(early.series[29]).toEqual({ date: '2026-11-23', result: 'pending' });
  });

  it('uses UTC days regardless of the timestamp offset of the report', () => {
    // 2026-11-23T00:30+02:00 is 2026-11-22T22:30Z: belongs to the 22nd.
    const r = run(0, {
      startedAt: '2026-11-23T00:20:00+02:00',
      finishedAt: '2026-11-23T00:30:00+02:00',
    });
    const { series } = computeBackupStatus(policy, [r], NOW);
    expect(series.find(d => d.date === '2026-11-22')?.result).toBe('ok');
    expect(series.find(d => d.date === '2026-11-23')?.result).toBe('pending');
  });

  it('reports age, last good backup, last restore test and the demo flag', () => {
    const result = computeBackupStatus(
      policy,
      [
        run(10, { tool: 'demo' }),
        run(48, { type: 'restore-test', tool: 'demo' }, 30),
      ],
      NOW,
    );
    expect(result.ageHours).toBe(10);
    expect(result.lastGoodBackupAt).toBe('2026-11-23T02:00:00.000Z');
    expect(result.lastRestoreTest).toEqual({
      type: 'restore-test',
      status: 'succeeded',
      finishedAt: '2026-11-21T12:00:00.000Z',
      durationMinutes: 30,
    });
    expect(result.demo).toBe(true);
    expect(computeBackupStatus(policy, [run(10)], NOW).demo).toBe(false);
  });

  it('honours a shorter per-entity RPO', () => {
    const result = computeBackupStatus(
      { ...policy, rpoHours: 6, graceHours: 1 },
      [run(8), goodRestore],
      NOW,
    );
    expect(result.status).toBe('critical');
    expect(result.reasons[0].message).toContain('RPO is 6 h');
  });
});
