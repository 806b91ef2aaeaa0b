import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BackupOverviewItem,
  BackupOverviewResponse,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { queryAllEntities } from './catalogPages';
import { PluginClient } from './pluginClient';
import { CategoryFacts, PlatformFactSource } from './types';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** The largest page backup-status' overview serves. */
const OVERVIEW_PAGE = 1000;

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * The `backups` fact of a component from the backup status of the component
 * and of everything it depends on that has a backup policy (`tracked`, the
 * component first). Counts are per policy (each entity's RPO, restore test
 * interval and RTO); the worst age and days since a restore test are across
 * them, for the estate's targets (RPO 24 h, a restore test every 7 days).
 * `sizeAnomalies` counts those whose last backup backup-status flags as
 * empty or much smaller than usual (`size_anomaly`), its note says by how
 * much.
 *
 * @public
 */
export function toBackupsFacts(
  tracked: BackupOverviewItem[],
  at: Date,
): CategoryFacts {
  if (tracked.length === 0) {
    return {
      applicable: false,
      reason:
        'neither the component nor anything it depends on has a backup policy',
    };
  }
  const outsideRpo: string[] = [];
  const overdue: string[] = [];
  const overRto: string[] = [];
  const sizeAnomalies: string[] = [];
  let maxAgeHours: number | null = 0;
  let maxDaysSinceTest: number | null = 0;
  let measured = 0;
  for (const item of tracked) {
    const { policy, backup } = item;
    const ref = item.entityRef;
    if (!policy) {
      outsideRpo.push(`${ref}: unknown backup policy ${item.policyName}`);
      overdue.push(`${ref}: unknown backup policy ${item.policyName}`);
      maxAgeHours = null;
      maxDaysSinceTest = null;
      continue;
    }
    if (backup.ageHours === undefined) {
      outsideRpo.push(`${ref}: no successful backup`);
      maxAgeHours = null;
    } else {
      if (maxAgeHours !== null) {
        maxAgeHours = Math.max(maxAgeHours, backup.ageHours);
      }
      if (backup.ageHours > policy.rpoHours) {
        outsideRpo.push(
          `${ref}: last success ${Math.round(backup.ageHours)} h ago, RPO ${
            policy.rpoHours
          } h`,
        );
      }
    }
    const anomaly = backup.reasons.find(r => r.code === 'size_anomaly');
    if (anomaly) sizeAnomalies.push(`${ref}: ${anomaly.message}`);
    const test = backup.lastRestoreTest;
    if (!test) {
      overdue.push(`${ref}: never restore-tested`);
      maxDaysSinceTest = null;
    } else {
      const days = round1(
        (at.getTime() - Date.parse(test.finishedAt)) / DAY_MS,
      );
      if (test.status === 'failed') {
        overdue.push(`${ref}: the last restore test failed (${days} days ago)`);
      } else if (days > policy.restoreTestIntervalDays) {
        overdue.push(
          `${ref}: last restore test ${days} days ago, every ${policy.restoreTestIntervalDays} days`,
        );
      }
      if (maxDaysSinceTest !== null) {
        maxDaysSinceTest = Math.max(maxDaysSinceTest, days);
      }
      if (test.status === 'succeeded') {
        measured += 1;
        if (test.durationMinutes > policy.rtoHours * 60) {
          overRto.push(
            `${ref}: restore took ${test.durationMinutes} min, RTO ${policy.rtoHours} h`,
          );
        }
      }
    }
  }
  const notes: Record<string, string> = {};
  if (outsideRpo.length) notes.outsideRpo = outsideRpo.join('; ');
  // the estate-wide bound fails on the same entities: one reason, not two
  if (outsideRpo.length) notes.maxBackupAgeHours = notes.outsideRpo;
  if (overdue.length) notes.restoreTestOverdue = overdue.join('; ');
  if (overdue.length) notes.maxDaysSinceRestoreTest = notes.restoreTestOverdue;
  if (overRto.length) notes.restoreOverRto = overRto.join('; ');
  if (sizeAnomalies.length) notes.sizeAnomalies = sizeAnomalies.join('; ');
  if (measured === 0) {
    notes.restoreOverRto = 'no successful restore test to time';
  }
  return {
    applicable: true,
    tracked: tracked.map(t => t.entityRef),
    outsideRpo: outsideRpo.length,
    maxBackupAgeHours: maxAgeHours === null ? null : round1(maxAgeHours),
    restoreTestOverdue: overdue.length,
    maxDaysSinceRestoreTest: maxDaysSinceTest,
    // no data without a timed restore
    restoreOverRto: measured === 0 ? null : overRto.length,
    sizeAnomalies: sizeAnomalies.length,
    ...(Object.keys(notes).length > 0 ? { notes } : {}),
  };
}

/**
 * Backup facts of every component: the catalog's components with what they
 * depend on (one paged query) and the backup status of every entity with a
 * policy (backup-status' overview, served from its status snapshot: one
 * query of its store, in pages of 1,000).
 *
 * @public
 */
export function createBackupsFactSource(options: {
  client: PluginClient;
  catalog: CatalogService;
  auth: AuthService;
  now?: () => Date;
}): PlatformFactSource {
  const now = options.now ?? (() => new Date());
  return {
    id: 'platformBackups',
    version: '1.1.0',
    title: 'Backups and restore tests',
    description:
      'Backups and restore tests of a component and of everything it depends on that has a backup policy, from backup-status.',
    factName: 'backups',
    fields: {
      applicable:
        'the component or something it depends on has a backup policy',
      tracked: 'the entity refs checked, the component first',
      outsideRpo:
        'tracked entities whose last good backup is older than their RPO',
      maxBackupAgeHours:
        'the oldest last good backup among them in hours, null when one has none',
      restoreTestOverdue:
        'tracked entities without a successful restore test within their interval',
      maxDaysSinceRestoreTest:
        'days since the oldest latest restore test, null when one was never tested',
      restoreOverRto:
        'tracked entities whose last restore test took longer than their RTO, null when none was timed',
      sizeAnomalies:
        'tracked entities whose last backup is empty or much smaller than usual (under their policy share of the median of the previous ones)',
    },
    async read() {
      const at = now();
      const [components, statuses] = await Promise.all([
        queryAllEntities({
          catalog: options.catalog,
          auth: options.auth,
          kind: 'component',
          fields: ['kind', 'metadata.namespace', 'metadata.name', 'relations'],
        }),
        readOverview(options.client),
      ]);
      const key = (ref: string) => ref.toLocaleLowerCase('en-US');
      const byRef = new Map(statuses.map(s => [key(s.entityRef), s]));
      const facts = new Map<string, CategoryFacts>();
      for (const component of components) {
        const ref = stringifyEntityRef(component);
        const refs = [
          ref,
          ...(component.relations ?? [])
            .filter(r => r.type === 'dependsOn')
            .map(r => r.targetRef),
        ];
        const tracked = [...new Set(refs.map(key))]
          .map(r => byRef.get(key(r)))
          .filter((s): s is BackupOverviewItem => s !== undefined);
        facts.set(ref, toBackupsFacts(tracked, at));
      }
      return facts;
    },
  };
}

/** Every entity's backup status, page by page of backup-status' overview. */
async function readOverview(
  client: PluginClient,
): Promise<BackupOverviewItem[]> {
  const items: BackupOverviewItem[] = [];
  for (let offset = 0; ; offset += OVERVIEW_PAGE) {
    const page = await client.getJson<BackupOverviewResponse>(
      'backup-status',
      `/v1/overview?limit=${OVERVIEW_PAGE}&offset=${offset}`,
    );
    items.push(...page.items);
    if (page.items.length < OVERVIEW_PAGE || items.length >= page.totalItems) {
      return items;
    }
  }
}
