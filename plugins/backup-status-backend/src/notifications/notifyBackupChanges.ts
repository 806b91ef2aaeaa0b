import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { BackupStore } from '../database/BackupStore';
import { BackupStatusService } from '../service/types';
import { decideNotifications } from './decideNotifications';

/**
 * One pass of the notification task: every policy-bearing entity's status
 * now, against what the last pass saw (stored, so replicas and restarts
 * agree); the owning group hears about a new critical incident and about the
 * recovery, once each.
 */
export async function notifyBackupChanges(options: {
  service: BackupStatusService;
  store: BackupStore;
  notifications: NotificationService;
  logger: LoggerService;
  now?: Date;
}): Promise<number> {
  const { service, store, notifications, logger } = options;
  const { items } = await service.getOverview(
    { limit: Number.MAX_SAFE_INTEGER, offset: 0 },
    { fresh: true },
  );
  const previous = await store.getNotificationStates();
  const toSend = decideNotifications(items, previous);
  for (const n of toSend) {
    const entity = parseEntityRef(n.entityRef);
    const owner = stringifyEntityRef(
      parseEntityRef(n.owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
    await notifications.send({
      recipients: { type: 'entity', entityRef: owner },
      payload: {
        title: n.title,
        description: n.description,
        link: `/catalog/${entity.namespace}/${entity.kind}/${entity.name}/backups`,
        severity: n.kind === 'critical' ? 'high' : 'normal',
        topic: 'backup-status',
        scope: `backup-status:${n.entityRef}`,
      },
    });
    logger.info('Sent backup notification', {
      entityRef: n.entityRef,
      kind: n.kind,
    });
  }
  await store.setNotificationStates(
    items
      .filter(i => !i.backup.demo)
      .map(i => ({ entityRef: i.entityRef, status: i.backup.status })),
    options.now ?? new Date(),
  );
  return toSend.length;
}
