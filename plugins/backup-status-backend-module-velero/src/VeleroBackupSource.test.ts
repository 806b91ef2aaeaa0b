/*
 * The Velero source against a FAKE Kubernetes API server
 * (__testUtils__/fakeKubernetesApi.ts, built from Velero's documented
 * Backup format). No real API server runs here.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { BackupSourceEntity } from '@platform-portal/backstage-plugin-backup-status-node';
import { VeleroBackupSource, veleroRunKey } from './VeleroBackupSource';
import {
  FakeKubernetesApi,
  startFakeKubernetesApi,
  veleroBackup as backup,
} from './__testUtils__/fakeKubernetesApi';

jest.setTimeout(60_000);

const TOKEN = 'fake-service-account-token';

const backups = [
  backup(
    'chat-daily-20261123020000',
    'chat-daily',
    'Completed',
    '2026-11-23T02:00:00Z',
    '2026-11-23T02:04:10Z',
  ),
  backup(
    'chat-daily-20261124020000',
    'chat-daily',
    'PartiallyFailed',
    '2026-11-24T02:00:00Z',
    '2026-11-24T02:05:00Z',
    { errors: 2, warnings: 1 },
  ),
  backup(
    'chat-daily-20261125020000',
    'chat-daily',
    'InProgress',
    '2026-11-25T02:00:00Z',
  ),
  backup(
    'quote-daily-20261124020000',
    'quote-daily',
    'Completed',
    '2026-11-24T02:00:00Z',
    '2026-11-24T02:01:00Z',
  ),
];

describe('VeleroBackupSource with a fake Kubernetes API server', () => {
  let api: FakeKubernetesApi;
  let url: string;

  beforeAll(async () => {
    api = await startFakeKubernetesApi({ token: TOKEN, backups });
    url = api.url;
  });

  afterAll(() => api.close());

  const entity = (name: string, schedule?: string): BackupSourceEntity => ({
    entityRef: `resource:default/${name}`,
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        annotations: (schedule
          ? { 'platform-portal.dev/velero-schedule': schedule }
          : {}) as Record<string, string>,
      },
    },
    policy: {} as any,
  });

  it("maps the finished Backups of each entity's schedule to runs", async () => {
    const source = await VeleroBackupSource.fromConfig(
      new ConfigReader({ url, token: TOKEN, skipTLSVerify: true }), // the fake speaks plain HTTP
    );
    const runs = await source.scan({
      entities: [entity('chat-volumes', 'chat-daily'), entity('no-velero')],
      now: new Date('2026-11-25T03:00:00Z'),
      logger: mockServices.logger.mock(),
    });
    expect(api.requests.at(-1)).toBe(
      '/apis/velero.io/v1/namespaces/velero/backups?labelSelector=velero.io%2Fschedule-name%3Dchat-daily',
    );
    expect(runs).toEqual([
      {
        entityRef: 'resource:default/chat-volumes',
        type: 'backup',
        status: 'succeeded',
        startedAt: '2026-11-23T02:00:00Z',
        finishedAt: '2026-11-23T02:04:10Z',
        idempotencyKey:
          'velero:resource:default/chat-volumes:uid-chat-daily-20261123020000',
        location: 'velero://velero/chat-daily-20261123020000',
        tool: 'velero',
        message: 'phase Completed, expires 2026-12-24T02:00:00Z',
        oldestKeptAt: '2026-11-23T02:00:00Z',
      },
      expect.objectContaining({
        status: 'failed',
        startedAt: '2026-11-24T02:00:00Z',
        message:
          'phase PartiallyFailed, 2 errors, 1 warnings, expires 2026-12-24T02:00:00Z',
      }),
    ]);
  });

  it('fails the scan clearly with a wrong token', async () => {
    const source = await VeleroBackupSource.fromConfig(
      new ConfigReader({ url, token: 'wrong', skipTLSVerify: true }),
    );
    await expect(
      source.scan({
        entities: [entity('chat-volumes', 'chat-daily')],
        now: new Date(),
        logger: mockServices.logger.mock(),
      }),
    ).rejects.toThrow(/401|Unauthorized/);
  });

  it('refuses a schedule annotation that is not a label value: skipped with a warning, never in a selector, the rest scanned', async () => {
    const source = await VeleroBackupSource.fromConfig(
      new ConfigReader({ url, token: TOKEN, skipTLSVerify: true }),
    );
    const hostile = [
      ['comma', 'chat-daily,velero.io/schedule-name!=x'],
      ['not-equal', 'x,velero.io/schedule-name!=quote-daily'],
      ['set', 'x in (chat-daily,quote-daily)'],
      ['space', 'chat daily'],
      ['too-long', 'a'.repeat(64)],
      ['trailing-dash', 'chat-daily-'],
    ];
    const warnings: string[] = [];
    const logger = mockServices.logger.mock({
      warn: (message: string) => void warnings.push(message),
    });
    const seen = api.requests.length;
    const runs = await source.scan({
      entities: [
        ...hostile.map(([name, schedule]) => entity(name, schedule)),
        entity('quote-volumes', 'quote-daily'),
      ],
      now: new Date('2026-11-25T03:00:00Z'),
      logger,
    });
    // only the good entity's selector reached the API server
    expect(api.requests.slice(seen)).toEqual([
      '/apis/velero.io/v1/namespaces/velero/backups?labelSelector=velero.io%2Fschedule-name%3Dquote-daily',
    ]);
    expect(runs.map(r => r.entityRef)).toEqual([
      'resource:default/quote-volumes',
    ]);
    expect(warnings).toHaveLength(hostile.length);
    hostile.forEach(([name], i) =>
      expect(warnings[i]).toMatch(
        new RegExp(
          `^Skipped the Velero backups of resource:default/${name}: platform-portal.dev/velero-schedule '.*' is not a Kubernetes label value`,
        ),
      ),
    );
  });

  it('gives each entity naming one schedule its own key per Backup', async () => {
    const source = await VeleroBackupSource.fromConfig(
      new ConfigReader({ url, token: TOKEN, skipTLSVerify: true }),
    );
    const runs = await source.scan({
      entities: [entity('one', 'quote-daily'), entity('two', 'quote-daily')],
      now: new Date('2026-11-25T03:00:00Z'),
      logger: mockServices.logger.mock(),
    });
    expect(runs.map(r => r.idempotencyKey)).toEqual([
      'velero:resource:default/one:uid-quote-daily-20261124020000',
      'velero:resource:default/two:uid-quote-daily-20261124020000',
    ]);
    // a long entity ref is hashed, within the ingest's 200 characters
    const long = `resource:default/${'n'.repeat(180)}`;
    const key = veleroRunKey(long, 'uid-1');
    expect(key).toMatch(/^velero:[0-9a-f]{32}:uid-1$/);
    expect(veleroRunKey(`${long}x`, 'uid-1')).not.toBe(key);
  });
});
