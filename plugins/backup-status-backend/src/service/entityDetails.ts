import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BackupPolicy,
  EntityBackupDetails,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupStore } from '../database/BackupStore';
import { normalizeEntityRef } from './entityRefs';
import { statusWindowStart, toOverviewItem } from './overviewItem';

/** How many of the latest restore tests and drills the details carry. */
const RESTORE_TESTS_SHOWN = 20;

/**
 * Policy, status, runs (one page, newest first) and the latest restore tests
 * of one entity, computed now (not from the overview's snapshot). The entity
 * is read with the caller's credentials: one the caller may not see in the
 * catalog is not found. Throws `InputError` for a malformed ref.
 */
export async function getEntityDetails(
  deps: {
    catalog: CatalogService;
    store: BackupStore;
    policies: Map<string, BackupPolicy>;
    now: () => Date;
  },
  entityRef: string,
  page: { limit: number; offset: number },
  credentials: BackstageCredentials,
): Promise<EntityBackupDetails> {
  const { catalog, store, policies } = deps;
  const ref = normalizeEntityRef(entityRef);
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new NotFoundError(`Entity '${ref}' not found in the catalog`);
  }
  const at = deps.now();
  const [runsByEntity, runs, restores] = await Promise.all([
    store.listRunsForStatus({
      since: statusWindowStart(at),
      entityRefs: [ref],
    }),
    store.listEntityRuns({ entityRef: ref, ...page }),
    store.listEntityRuns({
      entityRef: ref,
      types: ['restore-test', 'drill'],
      limit: RESTORE_TESTS_SHOWN,
      offset: 0,
    }),
  ]);
  return {
    ...toOverviewItem(entity, runsByEntity.get(ref) ?? [], at, policies),
    runs: runs.runs,
    totalRuns: runs.totalRuns,
    restoreTests: restores.runs,
  };
}
