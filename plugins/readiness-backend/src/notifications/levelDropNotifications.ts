import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { ReadinessLevel } from '@platform-portal/backstage-plugin-readiness-common';
import { LevelDrop, LevelDropNotifier } from '../service/types';

/**
 * The notification of one drop, to the owning team; none for an entity
 * without an owner. It links to the entity's overview (the Production
 * readiness card). The scope names the entity and the level it dropped to,
 * so that the notifications backend shows a repeated drop as one.
 */
export function levelDropNotification(
  drop: LevelDrop,
  levels: ReadinessLevel[],
): NotificationSendOptions | undefined {
  const { entity } = drop;
  if (!entity.owner) return undefined;
  const title = (id: string | null) =>
    id === null ? 'no level' : levels.find(l => l.id === id)?.title ?? id;
  const { kind, namespace, name } = parseEntityRef(entity.entityRef);
  return {
    recipients: { type: 'entity', entityRef: entity.owner },
    payload: {
      title: `${entity.title ?? name} dropped from ${title(
        drop.from,
      )} to ${title(drop.to)} production readiness`,
      description:
        'A readiness check it passed before fails now. The Production readiness card says which, why, and the runbook that fixes it.',
      link: `/catalog/${namespace}/${kind}/${name}`,
      severity: 'normal',
      topic: 'readiness',
      scope: `readiness:${entity.entityRef}:${drop.to ?? 'none'}`,
    },
  };
}

/**
 * Sends one notification per drop. A drop is seen once: the run that
 * stores the lower level compares it with the stored one, and the next run
 * compares with the lower level, so a service that stays down is not
 * notified again. A send that fails is logged; the results stay stored.
 */
export function createLevelDropNotifier(options: {
  notifications: NotificationService;
  logger: LoggerService;
  levels: ReadinessLevel[];
}): LevelDropNotifier {
  const { notifications, logger, levels } = options;
  return {
    async notifyDrops(drops) {
      for (const drop of drops) {
        const notification = levelDropNotification(drop, levels);
        if (!notification) continue;
        try {
          await notifications.send(notification);
        } catch (error) {
          logger.warn('Could not send readiness drop notification', {
            entityRef: drop.entity.entityRef,
            error: String(error),
          });
        }
      }
    },
  };
}
