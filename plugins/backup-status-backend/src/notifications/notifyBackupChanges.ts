import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { BackupStore } from '../database/BackupStore';
import { BackupStatusService } from '../service/types';
import {
  decideNotifications,
  nextNotificationStates,
} from './decideNotifications';

/**
 * One pass of the notification task: every policy-bearing entity's status
 * now, against what the last pass saw (stored, so replicas and restarts
 * agree); the owning group hears about a new critical incident and about the
 * recovery, once each. Returns the number of notifications sent; a failed
 * send is logged, not thrown, and tried again on the next pass.
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
  // A failed send is logged and retried next pass: its entity's state is not
  // updated, the others' are.
  const failed = new Set<string>();
  let sent = 0;
  for (const n of toSend) {
    const entity = parseEntityRef(n.entityRef);
    const owner = stringifyEntityRef(
      parseEntityRef(n.owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
    try {
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
    } catch (error) {
      failed.add(n.entityRef);
      logger.error('Could not send backup notification', {
        entityRef: n.entityRef,
        kind: n.kind,
        owner,
        error: String(error),
      });
      continue;
    }
    sent += 1;
    logger.info('Sent backup notification', {
      entityRef: n.entityRef,
      kind: n.kind,
    });
  }
  await store.setNotificationStates(
    nextNotificationStates(items, previous).filter(
      s => !failed.has(s.entityRef),
    ),
    options.now ?? new Date(),
  );
  return sent;
}
