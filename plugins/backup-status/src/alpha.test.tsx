import { Entity } from '@backstage/catalog-model';
import plugin from './alpha';
import { isBackupStatusAvailable } from './isBackupStatusAvailable';

function entity(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'x', annotations },
    spec: {},
  };
}

describe('backup-status frontend plugin', () => {
  it('is a discoverable new-frontend-system plugin', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.id).toBe('backup-status');
  });

  it('is available only on entities with a backup policy', () => {
    expect(
      isBackupStatusAvailable(
        entity({ 'platform-portal.dev/backup-policy': 'redis-daily' }),
      ),
    ).toBe(true);
    expect(isBackupStatusAvailable(entity())).toBe(false);
    expect(isBackupStatusAvailable(entity({ other: 'x' }))).toBe(false);
  });
});
