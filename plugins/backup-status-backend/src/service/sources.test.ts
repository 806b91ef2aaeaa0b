import {
  createBackendModule,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { backupStatusSourcesExtensionPoint } from '@platform-portal/backstage-plugin-backup-status-node';
import request from 'supertest';
import { backupStatusPlugin } from '../plugin';

describe('backup sources', () => {
  it('runs a registered source on a global schedule and ingests its runs', async () => {
    const tasks: Array<SchedulerServiceTaskInvocationDefinition & any> = [];
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: jest.fn(async task => {
        tasks.push(task);
      }),
    });
    const scan = jest.fn(async ({ entities, now }) =>
      entities.map((e: any) => ({
        entityRef: e.entityRef,
        type: 'backup' as const,
        status: 'succeeded' as const,
        startedAt: new Date(now.getTime() - 60_000).toISOString(),
        finishedAt: now.toISOString(),
        idempotencyKey: `test-source:${e.entityRef}`,
        tool: 'test',
      })),
    );
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
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: { backupStatus: { sources: { frequency: '5m' } } },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'chat-db',
                annotations: {
                  'platform-portal.dev/backup-policy': 'postgres-daily',
                },
              },
              spec: { owner: 'team-chat' },
            },
          ],
        }),
      ],
    });

    // the source's task, and the plugin's own notification task
    expect(tasks.map(t => t.id)).toEqual([
      'backup-status:source:test',
      'backup-status:notify',
    ]);
    expect(tasks[0]).toMatchObject({
      id: 'backup-status:source:test',
      scope: 'global',
      frequency: { minutes: 5 },
    });
    expect(tasks[1]).toMatchObject({ scope: 'global' });
    await tasks[0].fn(new AbortController().signal);
    expect(scan).toHaveBeenCalledTimes(1);
    expect(scan.mock.calls[0][0].entities).toEqual([
      expect.objectContaining({
        entityRef: 'resource:default/chat-db',
        policy: expect.objectContaining({ name: 'postgres-daily' }),
      }),
    ]);

    const res = await request(server).get(
      '/api/backup-status/v1/entities/resource/default/chat-db',
    );
    expect(res.body.totalRuns).toBe(1);
    expect(res.body.runs[0].tool).toBe('test');
  });
});
