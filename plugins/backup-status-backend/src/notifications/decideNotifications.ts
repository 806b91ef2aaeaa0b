import { BackupOverviewItem } from '@platform-portal/backstage-plugin-backup-status-common';

export type BackupNotification = {
  entityRef: string;
  owner: string;
  kind: 'critical' | 'recovered';
  title: string;
  description: string;
};

/**
 * What to notify, from the statuses now and the ones seen last time: one
 * message when an entity crosses into `critical` (a new incident), one when it
 * leaves `critical` (to `ok`, or to `warning` with what is still late);
 * nothing while it stays critical or for entities fed only by demo data.
 */
export function decideNotifications(
  items: BackupOverviewItem[],
  previous: Map<string, string>,
): BackupNotification[] {
  const out: BackupNotification[] = [];
  for (const item of items) {
    if (item.backup.demo || !item.owner) continue;
    const before = previous.get(item.entityRef);
    const now = item.backup.status;
    const name = item.title ?? item.entityRef;
    if (now === 'critical' && before !== 'critical') {
      out.push({
        entityRef: item.entityRef,
        owner: item.owner,
        kind: 'critical',
        title: `Backups of ${name} are critical`,
        description: item.backup.reasons
          .filter(r => r.severity === 'critical')
          .map(r => r.message)
          .join(' '),
      });
    } else if (before === 'critical' && (now === 'ok' || now === 'warning')) {
      out.push({
        entityRef: item.entityRef,
        owner: item.owner,
        kind: 'recovered',
        title:
          now === 'ok'
            ? `Backups of ${name} are ok again`
            : `Backups of ${name} are no longer critical`,
        description:
          now === 'ok'
            ? 'Within RPO, retention and restore-test promises.'
            : `Still to look at: ${item.backup.reasons
                .map(r => r.message)
                .join(' ')}`,
      });
    }
  }
  return out;
}

/**
 * The status to remember per entity after this pass, for the next one.
 * `unknown` (no data: no runs, or the policy name no longer resolves) does not
 * close a critical incident: the entity stays remembered as critical, so that
 * its later recovery is told and a return to critical is not a new incident.
 * Entities fed only by demo data are not remembered.
 */
export function nextNotificationStates(
  items: BackupOverviewItem[],
  previous: Map<string, string>,
): Array<{ entityRef: string; status: string }> {
  return items
    .filter(item => !item.backup.demo)
    .map(item => {
      const before = previous.get(item.entityRef);
      const now = item.backup.status;
      return {
        entityRef: item.entityRef,
        status: now === 'unknown' && before === 'critical' ? before : now,
      };
    });
}
