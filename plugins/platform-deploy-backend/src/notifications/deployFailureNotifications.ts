import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { DeployableEntity, NewDeploymentEvent } from '../types';

/** Tells owners about deploys that went wrong; see {@link createDeployFailureNotifier}. */
export interface DeployFailureNotifier {
  /** Called with the events a batch newly stored and their entities. */
  notifyStored(
    stored: NewDeploymentEvent[],
    entities: Map<string, DeployableEntity>,
  ): Promise<void>;
}

/**
 * Whether an event is worth a notification: a failed or rolled-back deploy
 * to production, reported by a real source (demo history notifies nobody).
 */
export function isNotifiableFailure(
  event: NewDeploymentEvent,
  productionEnvironment: string,
): boolean {
  return (
    event.source !== 'demo' &&
    event.environment === productionEnvironment &&
    (event.status === 'failed' || event.status === 'rolled_back')
  );
}

/**
 * The notification of one failed or rolled-back deploy, to the owning group;
 * none for an entity without an owner. It links to the entity's Deployments
 * tab, at the entity's own kind and namespace.
 */
export function deployFailureNotification(
  entity: DeployableEntity,
  event: NewDeploymentEvent,
): NotificationSendOptions | undefined {
  if (!entity.owner) return undefined;
  const { kind, namespace, name } = parseEntityRef(entity.entityRef);
  const outcome = event.status === 'failed' ? 'failed' : 'was rolled back';
  return {
    recipients: { type: 'entity', entityRef: entity.owner },
    payload: {
      title: `${entity.title ?? entity.name}: ${event.environment} deploy of ${
        event.version
      } ${outcome}`,
      description:
        'Live version stays as it was. See the Deployments tab and the rollback runbook.',
      link: `/catalog/${namespace}/${kind}/${name}/deployments`,
      severity: 'high',
      topic: 'platform-deploy',
      scope: `platform-deploy:${event.entityRef}:${event.environment}:${event.version}`,
    },
  };
}

/**
 * Sends one notification per newly stored failed or rolled-back production
 * deploy (a retried report is not stored again, so it does not notify
 * again). A send that fails is logged and does not fail the ingest: the
 * event is stored either way.
 */
export function createDeployFailureNotifier(options: {
  notifications: NotificationService;
  logger: LoggerService;
  productionEnvironment: string;
}): DeployFailureNotifier {
  const { notifications, logger, productionEnvironment } = options;
  return {
    async notifyStored(stored, entities) {
      for (const event of stored) {
        const entity = entities.get(event.entityRef);
        if (!entity || !isNotifiableFailure(event, productionEnvironment)) {
          continue;
        }
        const notification = deployFailureNotification(entity, event);
        if (!notification) continue;
        try {
          await notifications.send(notification);
        } catch (error) {
          logger.warn('Could not send deploy failure notification', {
            entityRef: event.entityRef,
            error: String(error),
          });
        }
      }
    },
  };
}
