/** `1.2 GB`-style size, base 1000 like backup tools report (the engine's own). */
export { formatBytes } from '@platform-portal/backstage-plugin-backup-status-common';

/** `5.5 h` below two days, `3.2 days` above. */
export function formatHours(hours: number | undefined): string {
  if (hours === undefined) return '–';
  if (hours >= 48) return `${Math.round((hours / 24) * 10) / 10} days`;
  return `${Math.round(hours * 10) / 10} h`;
}

/** `23 min` or `2.5 h`. */
export function formatMinutes(minutes: number): string {
  return minutes >= 90
    ? formatHours(minutes / 60)
    : `${Math.round(minutes)} min`;
}

/** ISO timestamp shown in UTC, `2026-11-23 02:05 UTC`. */
export function formatUtc(iso: string | undefined): string {
  if (!iso) return '–';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const RUNBOOKS = '/docs/default/system/platform-portal/runbooks';

/** Where the restore runbook lives in TechDocs. */
export const RESTORE_RUNBOOK_URL = `${RUNBOOKS}/backup-restore/`;

/** The runbooks that fit what the status shows, most specific last. */
export function runbooksFor(
  status: string,
  reasonCodes: string[],
): Array<{ title: string; url: string }> {
  const links = [{ title: 'Restore runbook', url: RESTORE_RUNBOOK_URL }];
  if (reasonCodes.some(c => c.startsWith('restore_'))) {
    links.push({
      title: 'Restore test and drill runbook',
      url: `${RUNBOOKS}/restore-tests/`,
    });
  }
  if (status === 'critical') {
    links.push({
      title: 'Disaster recovery runbook',
      url: `${RUNBOOKS}/disaster-recovery/`,
    });
  }
  return links;
}
