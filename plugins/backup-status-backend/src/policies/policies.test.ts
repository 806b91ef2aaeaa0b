import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { readBackupStatusConfig } from '../config';
import { resolveEntityPolicy } from './policies';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'chat-db', annotations },
    spec: {},
  };
}

describe('resolveEntityPolicy', () => {
  const { policies } = readBackupStatusConfig(new ConfigReader({}));

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
