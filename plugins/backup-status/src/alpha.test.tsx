import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { backupStatusEntityContent, backupStatusPage } from './alpha';
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

describe('new frontend system extensions', () => {
  it('mounts the page at /platform/backups with a nav title', () => {
    const tester = createExtensionTester(backupStatusPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/platform/backups');
    expect(tester.get(coreExtensionData.title)).toBe('Backups');
  });

  it('adds the Backups entity tab only for policy-bearing entities', () => {
    const tester = createExtensionTester(backupStatusEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('backups');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Backups');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(
      filter(entity({ 'platform-portal.dev/backup-policy': 'postgres-daily' })),
    ).toBe(true);
    expect(filter(entity())).toBe(false);
  });
});
