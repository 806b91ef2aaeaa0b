import { mockServices } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { DeployableEntity, NewDeploymentEvent } from '../types';
import {
  createDeployFailureNotifier,
  deployFailureNotification,
} from './deployFailureNotifications';

const entity: DeployableEntity = {
  entityRef: 'component:other/x',
  name: 'x',
  title: 'X Service',
  owner: 'group:other/x-team',
  environments: ['staging', 'production'],
  healthUrls: {},
  trusted: true,
};

const event = (
  overrides: Partial<NewDeploymentEvent> = {},
): NewDeploymentEvent => ({
  entityRef: entity.entityRef,
  environment: 'production',
  version: 'main-abc1234',
  status: 'failed',
  idempotencyKey: `k-${Math.random()}`,
  source: 'http',
  receivedAt: new Date('2026-11-20T10:00:00Z'),
  ...overrides,
});

/** A notifications service that records what it is asked to send. */
function recordingNotifications(fail = false) {
  const sent: NotificationSendOptions[] = [];
  const notifications: NotificationService = {
    async send(options) {
      if (fail) throw new Error('notifications backend unavailable');
      sent.push(options);
    },
  };
  return { sent, notifications };
}

describe('deployFailureNotification', () => {
  it('tells the owning group, links to the entity in its own namespace', () => {
    expect(deployFailureNotification(entity, event())).toEqual({
      recipients: { type: 'entity', entityRef: 'group:other/x-team' },
      payload: {
        title: 'X Service: production deploy of main-abc1234 failed',
        description:
          'Live version stays as it was. See the Deployments tab and the rollback runbook.',
        link: '/catalog/other/component/x/deployments',
        severity: 'high',
        topic: 'platform-deploy',
        scope: 'platform-deploy:component:other/x:production:main-abc1234',
      },
    });
  });

  it('says a rolled-back deploy was rolled back', () => {
    expect(
      deployFailureNotification(entity, event({ status: 'rolled_back' }))
        ?.payload.title,
    ).toBe('X Service: production deploy of main-abc1234 was rolled back');
  });

  it('names the entity by its name when it has no title, and sends nothing without an owner', () => {
    const untitled = { ...entity, title: undefined };
    expect(deployFailureNotification(untitled, event())?.payload.title).toBe(
      'x: production deploy of main-abc1234 failed',
    );
    expect(
      deployFailureNotification({ ...entity, owner: undefined }, event()),
    ).toBeUndefined();
  });
});

describe('createDeployFailureNotifier', () => {
  const entities = new Map([[entity.entityRef, entity]]);

  it('notifies failed and rolled-back production deploys from real sources only', async () => {
    const { sent, notifications } = recordingNotifications();
    const notifier = createDeployFailureNotifier({
      notifications,
      logger: mockServices.logger.mock(),
      productionEnvironment: 'production',
    });
    await notifier.notifyStored(
      [
        event({ version: 'main-0000001' }),
        event({ version: 'main-0000002', status: 'rolled_back' }),
        event({ version: 'main-0000003', status: 'succeeded' }),
        event({ version: 'main-0000004', status: 'started' }),
        event({ version: 'main-0000005', environment: 'staging' }),
        event({ version: 'main-0000006', source: 'demo' }),
      ],
      entities,
    );
    expect(sent.map(n => n.payload.title)).toEqual([
      'X Service: production deploy of main-0000001 failed',
      'X Service: production deploy of main-0000002 was rolled back',
    ]);
  });

  it('logs a send that fails and carries on', async () => {
    const { notifications } = recordingNotifications(true);
    const logger = mockServices.logger.mock();
    const notifier = createDeployFailureNotifier({
      notifications,
      logger,
      productionEnvironment: 'production',
    });
    await expect(
      notifier.notifyStored([event(), event()], entities),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not send deploy failure notification',
      {
        entityRef: 'component:other/x',
        error: 'Error: notifications backend unavailable',
      },
    );
  });
});
