import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_NOTIFY_SCHEDULE,
  DEFAULT_RETENTION_SCHEDULE,
  DEFAULT_SOURCES_SCHEDULE,
  readBackupStatusConfig,
} from './config';

describe('readBackupStatusConfig: policies', () => {
  it('has built-in policies with the targets of docs/runbooks/backup-restore.md', () => {
    const { policies } = readBackupStatusConfig(new ConfigReader({}));
    expect(policies.get('postgres-daily')).toEqual({
      name: 'postgres-daily',
      schedule: '0 2 * * *',
      rpoHours: 24,
      retentionDays: 30,
      restoreTestIntervalDays: 7,
      rtoHours: 2,
      graceHours: 2,
      anomaly: { minRatio: 0.5, window: 7 },
    });
    expect(policies.get('redis-daily')).toMatchObject({
      retentionDays: 7,
      rtoHours: 1,
    });
    expect([...policies.keys()].sort()).toEqual([
      'config-daily',
      'postgres-daily',
      'redis-daily',
      'volumes-daily',
    ]);
  });

  it('merges config over built-ins and accepts ms, ISO and object durations', () => {
    const { policies } = readBackupStatusConfig(
      new ConfigReader({
        backupStatus: {
          policies: {
            'postgres-daily': { rpo: '12h', grace: 'PT30M' },
            'hourly-wal': {
              schedule: '0 * * * *',
              rpo: { hours: 1 },
              retention: 'P14D',
              restoreTestInterval: '1d',
              rto: '30m',
            },
          },
        },
      }),
    );
    expect(policies.get('postgres-daily')).toMatchObject({
      rpoHours: 12,
      graceHours: 0.5,
      retentionDays: 30,
    });
    expect(policies.get('hourly-wal')).toEqual({
      name: 'hourly-wal',
      schedule: '0 * * * *',
      rpoHours: 1,
      retentionDays: 14,
      restoreTestIntervalDays: 1,
      rtoHours: 0.5,
      graceHours: 2,
      anomaly: { minRatio: 0.5, window: 7 },
    });
  });

  it('reads the size check per policy, a field left out from the built-in', () => {
    const { policies } = readBackupStatusConfig(
      new ConfigReader({
        backupStatus: {
          policies: {
            'postgres-daily': { anomaly: { minRatio: 0.8 } },
            'redis-daily': { anomaly: { minRatio: 0, window: 3 } },
            'config-daily': { rpo: '12h' },
          },
        },
      }),
    );
    expect(policies.get('postgres-daily')!.anomaly).toEqual({
      minRatio: 0.8,
      window: 7,
    });
    expect(policies.get('redis-daily')!.anomaly).toEqual({
      minRatio: 0,
      window: 3,
    });
    expect(policies.get('config-daily')!.anomaly).toEqual({
      minRatio: 0.5,
      window: 7,
    });
  });

  it.each([
    [
      { minRatio: 1.5 },
      'backupStatus.policies.postgres-daily.anomaly.minRatio must be a number from 0 (off) to 1, got 1.5',
    ],
    [
      { minRatio: -0.1 },
      'backupStatus.policies.postgres-daily.anomaly.minRatio must be a number from 0 (off) to 1, got -0.1',
    ],
    [
      { window: 0 },
      'backupStatus.policies.postgres-daily.anomaly.window must be a whole number of backups from 1 to 100, got 0',
    ],
    [
      { window: 2.5 },
      'backupStatus.policies.postgres-daily.anomaly.window must be a whole number of backups from 1 to 100, got 2.5',
    ],
    [
      { window: 101 },
      'backupStatus.policies.postgres-daily.anomaly.window must be a whole number of backups from 1 to 100, got 101',
    ],
  ])('rejects the size check %j naming the key', (anomaly, message) => {
    expect(() =>
      readBackupStatusConfig(
        new ConfigReader({
          backupStatus: { policies: { 'postgres-daily': { anomaly } } },
        }),
      ),
    ).toThrow(message);
  });

  it('rejects a size check that is not a number, naming the key', () => {
    expect(() =>
      readBackupStatusConfig(
        new ConfigReader({
          backupStatus: {
            policies: { 'postgres-daily': { anomaly: { minRatio: 'half' } } },
          },
        }),
      ),
    ).toThrow(/anomaly\.minRatio/);
  });

  it('rejects an invalid duration naming the key', () => {
    expect(() =>
      readBackupStatusConfig(
        new ConfigReader({
          backupStatus: { policies: { x: { rpo: 'soon' } } },
        }),
      ),
    ).toThrow(/rpo/);
  });
});

describe('readBackupStatusConfig: schedules and switches', () => {
  it('has defaults for everything', () => {
    const config = readBackupStatusConfig(new ConfigReader({}));
    expect(config.notifications.schedule).toEqual(DEFAULT_NOTIFY_SCHEDULE);
    expect(config.sources.schedule).toEqual(DEFAULT_SOURCES_SCHEDULE);
    expect(config.ingest.runsPerMinute).toBe(6000);
    expect(config.demo.enabled).toBe(false);
    expect(config.retention).toEqual({
      days: 365,
      schedule: DEFAULT_RETENTION_SCHEDULE,
    });
  });

  it('reads the retention, and refuses one shorter than the status window', () => {
    expect(
      readBackupStatusConfig(
        new ConfigReader({
          backupStatus: {
            retention: {
              days: 90,
              schedule: { frequency: { hours: 6 }, timeout: { minutes: 5 } },
            },
          },
        }),
      ).retention,
    ).toEqual({
      days: 90,
      schedule: { frequency: { hours: 6 }, timeout: { minutes: 5 } },
    });
    expect(() =>
      readBackupStatusConfig(
        new ConfigReader({ backupStatus: { retention: { days: 7 } } }),
      ),
    ).toThrow(
      'backupStatus.retention.days must be at least 31 (the status window), got 7',
    );
    expect(() =>
      readBackupStatusConfig(
        new ConfigReader({ backupStatus: { retention: { days: 40.5 } } }),
      ),
    ).toThrow('backupStatus.retention.days must be a positive integer');
  });

  it.each([
    [
      'notification schedule',
      { notifications: { schedule: { frequency: '5m', timeout: '1m' } } },
      'notifications',
      { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
    ],
    [
      'sources frequency (short form)',
      { sources: { frequency: '1h' } },
      'sources',
      { ...DEFAULT_SOURCES_SCHEDULE, frequency: { hours: 1 } },
    ],
    [
      'sources schedule',
      {
        sources: {
          schedule: { frequency: { minutes: 30 }, timeout: { minutes: 2 } },
        },
      },
      'sources',
      { frequency: { minutes: 30 }, timeout: { minutes: 2 } },
    ],
  ] as const)('reads the %s', (_name, backupStatus, part, expected) => {
    const config = readBackupStatusConfig(new ConfigReader({ backupStatus }));
    expect(config[part].schedule).toEqual(expected);
  });

  it('drops a configured scope: periodic work is scheduled globally', () => {
    const config = readBackupStatusConfig(
      new ConfigReader({
        backupStatus: {
          notifications: {
            schedule: { frequency: '5m', timeout: '1m', scope: 'local' },
          },
        },
      }),
    );
    expect(config.notifications.schedule).not.toHaveProperty('scope');
  });

  it('reads the ingest limit and the demo switch', () => {
    const config = readBackupStatusConfig(
      new ConfigReader({
        backupStatus: {
          ingest: { runsPerMinute: 5 },
          demo: { enabled: true },
        },
      }),
    );
    expect(config.ingest.runsPerMinute).toBe(5);
    expect(config.demo.enabled).toBe(true);
  });

  it('rejects an ingest limit that is not a positive integer, naming the key', () => {
    expect(() =>
      readBackupStatusConfig(
        new ConfigReader({ backupStatus: { ingest: { runsPerMinute: 0 } } }),
      ),
    ).toThrow('backupStatus.ingest.runsPerMinute must be a positive integer');
  });

  it('rejects an invalid schedule naming the key', () => {
    expect(() =>
      readBackupStatusConfig(
        new ConfigReader({
          backupStatus: { sources: { frequency: 'often' } },
        }),
      ),
    ).toThrow(/frequency/);
  });
});
