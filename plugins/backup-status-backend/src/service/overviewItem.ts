import { Entity } from '@backstage/catalog-model';
import {
  BackupOverviewItem,
  BackupPolicy,
  BackupRun,
  computeBackupStatus,
  SERIES_DAYS,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { getPolicyName, resolveEntityPolicy } from '../policies/policies';
import { entityRefOf, ownerOf } from './entityRefs';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Runs older than this are only loaded as "latest of their kind". */
const STATUS_WINDOW_DAYS = SERIES_DAYS + 1;

/** Where the runs the status engine needs at `at` begin (see `listRunsForStatus`). */
export function statusWindowStart(at: Date): Date {
  return new Date(at.getTime() - STATUS_WINDOW_DAYS * DAY_MS);
}

/** One entity's overview row: its policy and the status of its runs at `at`. */
export function toOverviewItem(
  entity: Entity,
  runs: BackupRun[],
  at: Date,
  policies: Map<string, BackupPolicy>,
): BackupOverviewItem {
  const policy = resolveEntityPolicy(entity, policies);
  return {
    entityRef: entityRefOf(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    owner: ownerOf(entity),
    policyName: getPolicyName(entity) ?? '',
    policy,
    backup: computeBackupStatus(policy, runs, at),
  };
}
