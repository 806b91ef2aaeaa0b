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

  describe('backup size anomalies', () => {
    const GB = 1_000_000_000;
    /** A month of ~2.7 GB nightly dumps, the newest `latest` bytes. */
    const month = (latest: number | undefined) => [
      run(10, { sizeBytes: latest }),
      ...dailyBackups(30)
        .slice(1)
        .map((r, i) => ({ ...r, sizeBytes: 2.7 * GB + (i % 3) * 1000 })),
      goodRestore,
    ];

    it('a 1 MB dump after a month of 2.7 GB ones is a warning saying by how much', () => {
      const result = computeBackupStatus(policy, month(1_000_000), NOW);
      expect(result.status).toBe('warning');
      expect(result.reasons).toEqual([
        {
          code: 'size_anomaly',
          severity: 'warning',
          message:
            'Last backup 1.0 MB is 0.04 % of the median 2.7 GB of the previous 7 (a warning below 50 %).',
        },
      ]);
    });

    it('an empty backup (0 bytes) is critical, even without history', () => {
      const result = computeBackupStatus(policy, month(0), NOW);
      expect(result.status).toBe('critical');
      expect(result.reasons.map(r => [r.code, r.severity])).toEqual([
        ['size_anomaly', 'critical'],
      ]);
      expect(result.reasons[0].message).toBe(
        'Last backup is empty (0 bytes); the median of the previous 7 is 2.7 GB.',
      );
      const alone = computeBackupStatus(
        policy,
        [run(10, { sizeBytes: 0 }), goodRestore],
        NOW,
      );
      expect(alone.status).toBe('critical');
      expect(alone.reasons[0].message).toBe('Last backup is empty (0 bytes).');
    });

    it('a normal size, a size without history and a backup without a size pass', () => {
      for (const runs of [
        month(2.6 * GB),
        month(1.4 * GB), // 52 % of the median
        month(undefined),
        [
          run(10, { sizeBytes: 1000 }),
          run(34, { sizeBytes: 2.7 * GB }),
          goodRestore,
        ],
      ]) {
        expect(computeBackupStatus(policy, runs, NOW).reasons).toEqual([]);
      }
    });

    it('compares with the median of the previous successful backups only', () => {
      // the previous 7 nights: 3 small ones and 4 of 2.7 GB, median 2.7 GB;
      // failed runs and runs without a size do not count
      const runs = [
        run(10, { sizeBytes: 1.2 * GB }),
        run(20, { status: 'failed', sizeBytes: 1 }),
        run(22),
        ...[1, 1, 1, 2.7, 2.7, 2.7, 2.7, 0.001].map((gb, i) =>
          run(34 + i * 24, { sizeBytes: gb * GB }),
        ),
        goodRestore,
      ];
      const result = computeBackupStatus(policy, runs, NOW);
      expect(result.reasons.map(r => r.message)).toEqual([
        'Last backup 1.2 GB is 44 % of the median 2.7 GB of the previous 7 (a warning below 50 %).',
      ]);
    });

    it('takes the ratio and the window from the policy', () => {
      const runs = month(2 * GB); // 74 % of the median
      expect(computeBackupStatus(policy, runs, NOW).status).toBe('ok');
      const strict = computeBackupStatus(
        { ...policy, anomaly: { minRatio: 0.8, window: 3 } },
        runs,
        NOW,
      );
      expect(strict.reasons.map(r => r.message)).toEqual([
        'Last backup 2.0 GB is 74 % of the median 2.7 GB of the previous 3 (a warning below 80 %).',
      ]);
      const off = computeBackupStatus(
        { ...policy, anomaly: { minRatio: 0, window: 7 } },
        month(1_000_000),
        NOW,
      );
      expect(off.status).toBe('ok');
    });
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
