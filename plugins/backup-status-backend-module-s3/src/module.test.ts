import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  BackupSource,
  backupStatusSourcesExtensionPoint,
  BackupStatusSourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-backup-status-node';
import { backupStatusModuleS3 } from './module';

/** The sources extension point as the test's own: records what is added. */
function sourcesExtensionPoint(
  added: BackupSource[],
): [
  typeof backupStatusSourcesExtensionPoint,
  BackupStatusSourcesExtensionPoint,
] {
  return [
    backupStatusSourcesExtensionPoint,
    { addSource: (...sources) => void added.push(...sources) },
  ];
}

describe('backupStatusModuleS3', () => {
  it('adds the s3 source when backupStatus.s3 is configured', async () => {
    const added: BackupSource[] = [];
    await startTestBackend({
      extensionPoints: [sourcesExtensionPoint(added)],
      features: [
        backupStatusModuleS3,
        mockServices.rootConfig.factory({
          data: {
            backupStatus: {
              s3: { bucket: 'b', endpoint: 'http://127.0.0.1:1' },
            },
          },
        }),
      ],
    });
    expect(added.map(s => s.id)).toEqual(['s3']);
  });

  it('adds nothing without config', async () => {
    const added: BackupSource[] = [];
    await startTestBackend({
      extensionPoints: [sourcesExtensionPoint(added)],
      features: [
        backupStatusModuleS3,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(added).toEqual([]);
  });
});
