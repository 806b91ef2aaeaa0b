import { Entity } from '@backstage/catalog-model';
import { BACKUP_POLICY_ANNOTATION } from '@platform-portal/backstage-plugin-backup-status-common';

/**
 * True when the entity names a backup policy
 * (annotation `platform-portal.dev/backup-policy`).
 *
 * @public
 */
export function isBackupStatusAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[BACKUP_POLICY_ANNOTATION]);
}
