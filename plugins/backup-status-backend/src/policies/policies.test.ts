import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { readPolicies, resolveEntityPolicy } from './policies';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'chat-db', annotations },
    spec: {},
  };
}

describe('readPolicies', () => {
  it('has the built-in policies from the seed facts', () => {
    const policies = readPolicies(new ConfigReader({}));
    expect(policies.get('postgres-daily')).toEqual({
      name: 'postgres-daily',
      schedule: '0 2 * * *',
      rpoHours: 24,
      retentionDays: 30,
      restoreTestIntervalDays: 7,
      rtoHours: 2,
      graceHours: 2,
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
    const policies = readPolicies(
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
    });
  });

  it('rejects an invalid duration naming the key', () => {
    expect(() =>
      readPolicies(
        new ConfigReader({
          backupStatus: { policies: { x: { rpo: 'soon' } } },
        }),
      ),
    ).toThrow(/rpo/);
  });
});

describe('resolveEntityPolicy', () => {
  const policies = readPolicies(new ConfigReader({}));

  it.each([
    [{}, undefined],
    [{ 'platform-portal.dev/backup-policy': 'nightly-tape' }, undefined],
    [
      { 'platform-portal.dev/backup-policy': 'postgres-daily' },
      { rpoHours: 24, retentionDays: 30 },
    ],
    [
      {
        'platform-portal.dev/backup-policy': 'postgres-daily',
        'platform-portal.dev/backup-rpo': '6h',
        'platform-portal.dev/backup-retention': 'P90D',
      },
      { rpoHours: 6, retentionDays: 90 },
    ],
    [
      {
        'platform-portal.dev/backup-policy': 'redis-daily',
        'platform-portal.dev/backup-rpo': 'whenever',
      },
      { rpoHours: 24, retentionDays: 7 },
    ],
  ])('%j → %j', (annotations, expected) => {
    const policy = resolveEntityPolicy(entity(annotations), policies);
    expect(
      policy && {
        rpoHours: policy.rpoHours,
        retentionDays: policy.retentionDays,
      },
    ).toEqual(expected);
  });
});
