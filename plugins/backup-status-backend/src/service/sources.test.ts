import {
  createBackendModule,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import {
  MAX_BATCH_RUNS,
  RunReport,
} from '@platform-portal/backstage-plugin-backup-status-common';
import {
  BackupSource,
  BackupSourceScanOptions,
  backupStatusSourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-backup-status-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogConfig, waitForCatalog } from '../__testUtils__/catalog';
import {
  LoggedLine,
  recordingLoggerFactory,
} from '../__testUtils__/recordingLogger';
import { backupStatusPlugin } from '../plugin';

jest.setTimeout(60_000);

type Task = SchedulerServiceTaskInvocationDefinition &
  SchedulerServiceTaskScheduleDefinition;

/** The plugin with one source module, the real catalog and a recording scheduler. */
async function start(
  scan: BackupSource['scan'],
  config: Record<string, unknown> = {},
) {
  const tasks: Task[] = [];
  const lines: LoggedLine[] = [];
  const scheduler = mockServices.scheduler.mock({
    scheduleTask: jest.fn(async task => {
      tasks.push(task as Task);
    }),
  });
  const module = createBackendModule({
    pluginId: 'backup-status',
    moduleId: 'test-source',
    register(env) {
      env.registerInit({
        deps: { sources: backupStatusSourcesExtensionPoint },
        async init({ sources }) {
          sources.addSource({ id: 'test', scan });
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      backupStatusPlugin,
      module,
      catalogBackend,
      scheduler.factory,
      recordingLoggerFactory(lines),
      mockServices.rootConfig.factory({
        data: { ...catalogConfig(), ...config },
      }),
    ],
  });
  await waitForCatalog(server);
  const task = (id: string) => {
    const found = tasks.find(t => t.id === id);
    if (!found) throw new Error(`no task ${id}`);
    return found;
  };
  return { server, tasks, task, lines };
}

async function totalRuns(server: Awaited<ReturnType<typeof start>>['server']) {
  const res = await request(server).get(
    '/api/backup-status/v1/entities/resource/default/chat-db',
  );
  expect(res.status).toBe(200);
  return res.body;
}

describe('backup sources', () => {
  it('runs a registered source on a global schedule and ingests its runs', async () => {
    const scan = jest.fn(async ({ entities, now }: BackupSourceScanOptions) =>
      entities.map(
        (e): RunReport => ({
          entityRef: e.entityRef,
          type: 'backup',
          status: 'succeeded',
          startedAt: new Date(now.getTime() - 60_000).toISOString(),
          finishedAt: now.toISOString(),
          idempotencyKey: `test-source:${e.entityRef}`,
          tool: 'test',
        }),
      ),
    );
    const { server, tasks, task } = await start(scan, {
      backupStatus: { sources: { frequency: '5m' } },
    });

    // the source's task, and the plugin's own snapshot refresh, notification
    // and retention tasks (the scheduler is shared: the catalog schedules
    // its own too)
    expect(
      tasks.map(t => t.id).filter(id => id.startsWith('backup-status:')),
    ).toEqual([
      'backup-status:status-snapshot',
      'backup-status:source:test',
      'backup-status:notify',
      'backup-status:retention',
    ]);
    expect(task('backup-status:retention')).toMatchObject({
      scope: 'global',
      frequency: { hours: 24 },
    });
    expect(task('backup-status:source:test')).toMatchObject({
      scope: 'global',
      frequency: { minutes: 5 },
      timeout: { minutes: 10 },
    });
    expect(task('backup-status:notify')).toMatchObject({ scope: 'global' });
    await task('backup-status:source:test').fn(new AbortController().signal);
    expect(scan).toHaveBeenCalledTimes(1);
    // the entities with a known policy, from the catalog
    expect(
      scan.mock.calls[0][0].entities
        .map(e => [e.entityRef, e.policy.name])
        .sort(),
    ).toEqual([
      ['component:default/redis', 'redis-daily'],
      ['resource:default/chat-db', 'postgres-daily'],
    ]);

    const details = await totalRuns(server);
    expect(details.totalRuns).toBe(1);
    expect(details.runs[0].tool).toBe('test');
  });

  it('schedules the sources from backupStatus.sources.schedule', async () => {
    const { task } = await start(async () => [], {
      backupStatus: {
        sources: {
          schedule: { frequency: { hours: 1 }, timeout: { minutes: 3 } },
        },
      },
    });
    expect(task('backup-status:source:test')).toMatchObject({
      scope: 'global',
      frequency: { hours: 1 },
      timeout: { minutes: 3 },
    });
  });

  it('stores every run of a scan larger than one ingest batch, in batches', async () => {
    const count = 2 * MAX_BATCH_RUNS + 201;
    const start0 = Date.parse('2026-01-01T00:00:00Z');
    const scan = async () =>
      Array.from(
        { length: count },
        (_, i): RunReport => ({
          entityRef: 'resource:default/chat-db',
          type: 'backup',
          status: 'succeeded',
          startedAt: new Date(start0 + i * 3_600_000).toISOString(),
          finishedAt: new Date(start0 + i * 3_600_000 + 60_000).toISOString(),
          idempotencyKey: `bulk-${i}`,
          tool: 'bulk',
        }),
      );
    const { server, task, lines } = await start(scan);

    await task('backup-status:source:test').fn(new AbortController().signal);

    expect((await totalRuns(server)).totalRuns).toBe(count);
    const batches = lines
      .filter(l => l.plugin === 'backup-status')
      .filter(l => l.message === 'Stored backup runs')
      .map(l => l.fields.received);
    expect(batches).toEqual([MAX_BATCH_RUNS, MAX_BATCH_RUNS, 201]);
    expect(
      lines.find(l => l.message === 'Backup source scanned')?.fields,
    ).toMatchObject({ source: 'test', found: count, stored: count });

    // a second scan of the same runs stores nothing new
    await task('backup-status:source:test').fn(new AbortController().signal);
    expect((await totalRuns(server)).totalRuns).toBe(count);
  });

  it("keeps a run whose record changed since the last scan, warns, and stores the scan's other runs", async () => {
    let size = 100;
    let scans = 0;
    const scan = async ({
      now,
    }: BackupSourceScanOptions): Promise<RunReport[]> => {
      scans++;
      const at = '2026-11-20T02:00:00.000Z';
      return [
        {
          entityRef: 'resource:default/chat-db',
          type: 'backup',
          status: 'succeeded',
          startedAt: at,
          finishedAt: at,
          idempotencyKey: 'test:object-1',
          sizeBytes: size,
          tool: 'test',
        },
        {
          entityRef: 'resource:default/chat-db',
          type: 'backup',
          status: 'succeeded',
          startedAt: now.toISOString(),
          finishedAt: now.toISOString(),
          idempotencyKey: `test:object-${scans + 1}`,
          tool: 'test',
        },
      ];
    };
    const { server, task, lines } = await start(scan);
    const fn = task('backup-status:source:test').fn;
    await fn(new AbortController().signal);
    size = 200;
    await fn(new AbortController().signal);

    const details = await totalRuns(server);
    expect(details.totalRuns).toBe(3);
    expect(
      details.runs.find((r: RunReport) => r.idempotencyKey === 'test:object-1')
        .sizeBytes,
    ).toBe(100);
    expect(lines.filter(l => l.level === 'warn').map(l => l.message)).toContain(
      'Backup source test reported run test:object-1 again with other content (sizeBytes); the first report stays',
    );
  });

  describe('with locations registered by users', () => {
    // FAKE code host: a local HTTP server serving catalog files that the
    // real catalog reads through its URL reader (backend.reading.allow)
    let repo: http.Server;
    let repoUrl: string;
    const files: Record<string, string> = {};
    const resource = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${name}
  annotations:
    platform-portal.dev/backup-policy: postgres-daily
    platform-portal.dev/backup-s3-prefix: resource/default/chat-db
spec: { type: database, owner: team-chat }
`;

    beforeAll(async () => {
      repo = http.createServer((req, res) => {
        const body = files[req.url ?? ''];
        res.statusCode = body ? 200 : 404;
        res.end(body ?? 'not found');
      });
      await new Promise<void>(r => repo.listen(0, '127.0.0.1', r));
      repoUrl = `http://127.0.0.1:${(repo.address() as AddressInfo).port}`;
      files['/anyone/catalog-info.yaml'] = resource('anyones-db');
      files['/estate/catalog-info.yaml'] = resource('estate-db');
    });
    afterAll(() => new Promise<void>(r => repo.close(() => r())));

    it('hands the source only entities from trusted locations', async () => {
      const scan = jest.fn(async () => [] as RunReport[]);
      const { server, task, lines } = await start(scan, {
        backend: { reading: { allow: [{ host: new URL(repoUrl).host }] } },
        platformPortal: { trustedLocations: [`url:${repoUrl}/estate/`] },
      });
      for (const path of ['/anyone', '/estate']) {
        const registered = await request(server)
          .post('/api/catalog/locations')
          .set('authorization', mockCredentials.service.header())
          .send({ type: 'url', target: `${repoUrl}${path}/catalog-info.yaml` });
        expect(registered.status).toBe(201);
      }
      await waitForCatalog(server, {
        refs: ['resource:default/anyones-db', 'resource:default/estate-db'],
      });

      await task('backup-status:source:test').fn(new AbortController().signal);
      const handed = scan.mock.calls[0] as unknown as [BackupSourceScanOptions];
      expect(handed[0].entities.map(e => e.entityRef).sort()).toEqual([
        'component:default/redis',
        'resource:default/chat-db',
        'resource:default/estate-db',
      ]);
      expect(
        lines.find(l => l.message.startsWith('Backup source test skips'))
          ?.fields.untrusted,
      ).toEqual(['resource:default/anyones-db']);
    });
  });

  it('skips a run the schema refuses, or for an entity it was not handed, with a warning, and stores the rest', async () => {
    const run = (overrides: Partial<RunReport>): RunReport => ({
      entityRef: 'resource:default/chat-db',
      type: 'backup',
      status: 'succeeded',
      startedAt: '2026-11-20T02:00:00.000Z',
      finishedAt: '2026-11-20T02:05:00.000Z',
      idempotencyKey: 'test:good',
      tool: 'test',
      ...overrides,
    });
    const scan = async () => [
      run({}),
      run({
        idempotencyKey: 'test:ahead',
        finishedAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
      run({
        idempotencyKey: 'test:other',
        entityRef: 'resource:default/tape-db',
      }),
    ];
    const { server, task, lines } = await start(scan);
    await task('backup-status:source:test').fn(new AbortController().signal);
    const details = await totalRuns(server);
    expect(details.runs.map((r: RunReport) => r.idempotencyKey)).toEqual([
      'test:good',
    ]);
    expect(
      lines
        .filter(l => l.plugin === 'backup-status' && l.level === 'warn')
        .map(l => l.message),
    ).toEqual([
      'Backup source test reported a run for resource:default/chat-db that is not valid: finishedAt: must be after 2000-01-01 and not more than 5 minutes ahead of now',
      'Backup source test reported a run for resource:default/tape-db, which it was not asked to scan',
    ]);
  });
});
