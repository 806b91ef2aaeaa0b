import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  BackupSource,
  backupStatusSourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-backup-status-node';
import { backupStatusModuleS3 } from './module';

/** Stands in for the backup-status plugin: records the added sources. */
function fakePlugin(added: BackupSource[]) {
  return createBackendPlugin({
    pluginId: 'backup-status',
    register(env) {
      env.registerExtensionPoint(backupStatusSourcesExtensionPoint, {
        addSource: (...sources) => added.push(...sources),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('backupStatusModuleS3', () => {
  it('adds the s3 source when backupStatus.s3 is configured', async () => {
    const added: BackupSource[] = [];
    await startTestBackend({
      features: [
        fakePlugin(added),
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
      features: [
        fakePlugin(added),
        backupStatusModuleS3,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(added).toEqual([]);
  });
});
