/*
 * The module's wiring: with `backupStatus.velero` it adds a Velero source
 * built from that config (checked by scanning a FAKE Kubernetes API server,
 * __testUtils__/fakeKubernetesApi.ts); without it, nothing.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  BackupSource,
  backupStatusSourcesExtensionPoint,
  BackupStatusSourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-backup-status-node';
import { backupStatusModuleVelero } from './module';
import {
  FakeKubernetesApi,
  startFakeKubernetesApi,
  veleroBackup,
} from './__testUtils__/fakeKubernetesApi';

jest.setTimeout(60_000);

const TOKEN = 'fake-velero-reader-token';

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

describe('backupStatusModuleVelero', () => {
  let api: FakeKubernetesApi;

  beforeAll(async () => {
    api = await startFakeKubernetesApi({
      token: TOKEN,
      namespace: 'backups',
      backups: [
        veleroBackup(
          'chat-daily-20261123020000',
          'chat-daily',
          'Completed',
          '2026-11-23T02:00:00Z',
          '2026-11-23T02:04:10Z',
        ),
      ],
    });
  });

  afterAll(() => api.close());

  it('adds the velero source built from backupStatus.velero', async () => {
    const added: BackupSource[] = [];
    await startTestBackend({
      extensionPoints: [sourcesExtensionPoint(added)],
      features: [
        backupStatusModuleVelero,
        mockServices.rootConfig.factory({
          data: {
            backupStatus: {
              velero: {
                url: api.url,
                token: TOKEN,
                namespace: 'backups',
                skipTLSVerify: true, // the fake speaks plain HTTP
              },
            },
          },
        }),
      ],
    });
    expect(added.map(s => s.id)).toEqual(['velero']);

    // the configured URL, token and namespace reach the API server
    const runs = await added[0].scan({
      entities: [
        {
          entityRef: 'resource:default/chat-volumes',
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: {
              name: 'chat-volumes',
              annotations: {
                'platform-portal.dev/velero-schedule': 'chat-daily',
              },
            },
          },
          policy: {
            name: 'volumes-daily',
            schedule: '0 2 * * *',
            rpoHours: 24,
            retentionDays: 30,
            restoreTestIntervalDays: 7,
            rtoHours: 2,
            graceHours: 2,
          },
        },
      ],
      now: new Date('2026-11-25T03:00:00Z'),
      logger: mockServices.logger.mock(),
    });
    expect(api.requests.at(-1)).toBe(
      '/apis/velero.io/v1/namespaces/backups/backups?labelSelector=velero.io%2Fschedule-name%3Dchat-daily',
    );
    expect(runs).toEqual([
      expect.objectContaining({
        entityRef: 'resource:default/chat-volumes',
        status: 'succeeded',
        idempotencyKey:
          'velero:resource:default/chat-volumes:uid-chat-daily-20261123020000',
        location: 'velero://backups/chat-daily-20261123020000',
      }),
    ]);
  });

  it('adds nothing without config', async () => {
    const added: BackupSource[] = [];
    await startTestBackend({
      extensionPoints: [sourcesExtensionPoint(added)],
      features: [
        backupStatusModuleVelero,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(added).toEqual([]);
  });

  it('fails the start when the config block is incomplete, naming the key', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [sourcesExtensionPoint([])],
        features: [
          backupStatusModuleVelero,
          mockServices.rootConfig.factory({
            data: { backupStatus: { velero: { url: api.url } } },
          }),
        ],
      }),
    ).rejects.toThrow(/token/);
  });
});
