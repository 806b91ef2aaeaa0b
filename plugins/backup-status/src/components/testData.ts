import {
  BackupSeriesDay,
  EntityBackupDetails,
} from '@platform-portal/backstage-plugin-backup-status-common';

export const series: BackupSeriesDay[] = Array.from({ length: 30 }, (_, i) => {
  const date = new Date(Date.UTC(2026, 9, 25 + i)).toISOString().slice(0, 10);
  if (i === 26) return { date, result: 'missing' };
  if (i === 29) return { date, result: 'pending' };
  return { date, result: 'ok', sizeBytes: 2_000_000_000 + i * 1_000_000 };
});

export const details: EntityBackupDetails = {
  entityRef: 'resource:default/chat-db',
  title: 'chat-db',
  owner: 'team-chat',
  policyName: 'postgres-daily',
  policy: {
    name: 'postgres-daily',
    schedule: '0 2 * * *',
    rpoHours: 24,
    retentionDays: 30,
    restoreTestIntervalDays: 7,
    rtoHours: 2,
    graceHours: 2,
  },
  backup: {
    status: 'critical',
    reasons: [
      {
        code: 'restore_test_failed',
        severity: 'critical',
        message: 'The latest restore-test failed: pg_restore exited 1',
      },
      {
        code: 'missing_days',
        severity: 'warning',
        message: '1 day(s) without a successful backup in the last 30 days.',
      },
    ],
    lastGoodBackupAt: '2026-11-22T02:05:00.000Z',
    ageHours: 10,
    series,
    lastRestoreTest: {
      type: 'restore-test',
      status: 'failed',
      finishedAt: '2026-11-22T04:30:00.000Z',
      durationMinutes: 150,
    },
    demo: true,
  },
  runs: [
    {
      entityRef: 'resource:default/chat-db',
      type: 'backup',
      status: 'succeeded',
      startedAt: '2026-11-22T02:00:00.000Z',
      finishedAt: '2026-11-22T02:05:00.000Z',
      idempotencyKey: 'k1',
      sizeBytes: 2_029_000_000,
      tool: 'demo',
    },
  ],
  totalRuns: 31,
  restoreTests: [
    {
      entityRef: 'resource:default/chat-db',
      type: 'restore-test',
      status: 'failed',
      startedAt: '2026-11-22T02:00:00.000Z',
      finishedAt: '2026-11-22T04:30:00.000Z',
      idempotencyKey: 'r1',
      message: 'pg_restore exited 1',
      tool: 'demo',
    },
  ],
};
