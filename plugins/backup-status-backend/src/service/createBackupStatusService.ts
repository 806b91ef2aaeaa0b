import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BACKUP_POLICY_ANNOTATION,
  BackupHealth,
  BackupOverviewItem,
  BackupPolicy,
  BackupRun,
  computeBackupStatus,
  SERIES_DAYS,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupStore } from '../database/BackupStore';
import { getPolicyName, resolveEntityPolicy } from '../policies/policies';
import { BackupStatusService, OverviewQuery } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Runs older than this are only loaded as "latest of their kind". */
const STATUS_WINDOW_DAYS = SERIES_DAYS + 1;
const STATUS_ORDER: Record<BackupHealth, number> = {
  critical: 0,
  warning: 1,
  unknown: 2,
  ok: 3,
};

/** Lower-case `kind:namespace/name`; throws `InputError` when not a full ref. */
export function normalizeEntityRef(ref: string, field = 'entityRef'): string {
  try {
    const parsed = parseEntityRef(ref, { defaultNamespace: 'default' });
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(
      `${field}: '${ref}' is not an entity ref like 'resource:default/chat-db'`,
    );
  }
}

function ownerOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  return typeof owner === 'string' ? owner : undefined;
}

/** Matches `team-a` against `team-a`, `group:team-a` and `group:default/team-a`. */
function ownerMatches(entity: Entity, wanted: string): boolean {
  const owner = ownerOf(entity);
  if (!owner) return false;
  try {
    const a = parseEntityRef(owner, { defaultKind: 'group' });
    const b = parseEntityRef(wanted, { defaultKind: 'group' });
    return (
      stringifyEntityRef(a).toLocaleLowerCase('en-US') ===
      stringifyEntityRef(b).toLocaleLowerCase('en-US')
    );
  } catch {
    return false;
  }
}

export function createBackupStatusService(options: {
  store: BackupStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  policies: Map<string, BackupPolicy>;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** How long the overview's status snapshot is reused. Default: 60 s. */
  snapshotTtlMs?: number;
}): BackupStatusService {
  const { store, catalog, auth, logger, policies } = options;
  const now = options.now ?? (() => new Date());

  /** Every entity with the policy annotation, in one catalog call. */
  async function listPolicyEntities(credentials: BackstageCredentials) {
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${BACKUP_POLICY_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        // Only what status, filters and sources need; keeps the response small.
        fields: [
          'apiVersion',
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.annotations',
          'spec.owner',
        ],
      },
      { credentials },
    );
    return items;
  }

  function toItem(
    entity: Entity,
    runs: BackupRun[],
    at: Date,
  ): BackupOverviewItem {
    const policy = resolveEntityPolicy(entity, policies);
    return {
      entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
      title: entity.metadata.title ?? entity.metadata.name,
      owner: ownerOf(entity),
      policyName: getPolicyName(entity) ?? '',
      policy,
      backup: computeBackupStatus(policy, runs, at),
    };
  }

  /**
   * The status of every policy-bearing entity, computed in one pass (one
   * catalog call with this plugin's credentials, one query of the runs) and
   * kept for `snapshotTtlMs`; an ingest on this replica starts a rebuild.
   * Readers get the previous snapshot while the next one builds (only the
   * first build after start is waited for), so writes show within one build
   * here and within the TTL on other replicas. Concurrent requests share one
   * computation.
   */
  type Snapshot = {
    at: Date;
    generation: number;
    rows: Array<{ entity: Entity; item: BackupOverviewItem }>;
  };
  const snapshotTtlMs = options.snapshotTtlMs ?? 60_000;
  let snapshot: Snapshot | undefined;
  let building: Promise<Snapshot> | undefined;
  let generation = 0;

  async function statusSnapshot(wait = false): Promise<Snapshot> {
    const at = now();
    const fresh =
      snapshot &&
      snapshot.generation === generation &&
      Math.abs(at.getTime() - snapshot.at.getTime()) < snapshotTtlMs;
    if (fresh) return snapshot!;
    const stale = snapshot;
    if (!building) {
      const gen = generation;
      building = (async () => {
        const [entities, runsByEntity] = await Promise.all([
          listPolicyEntities(await auth.getOwnServiceCredentials()),
          store.listRunsForStatus({
            since: new Date(at.getTime() - STATUS_WINDOW_DAYS * DAY_MS),
          }),
        ]);
        const rows = entities.map(entity => {
          const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
          return {
            entity,
            item: toItem(entity, runsByEntity.get(ref) ?? [], at),
          };
        });
        snapshot = { at, generation: gen, rows };
        return snapshot;
      })().finally(() => {
        building = undefined;
      });
    }
    // An outdated snapshot (other writes since, or older than the TTL) is
    // served while the new one builds, unless it is far behind the clock
    // (tests move it by hours): readers wait only for the very first build.
    if (
      !wait &&
      stale &&
      Math.abs(at.getTime() - stale.at.getTime()) < 2 * snapshotTtlMs
    ) {
      building.catch(error =>
        logger.warn(`Could not rebuild the backup status snapshot: ${error}`),
      );
      return stale;
    }
    return building;
  }

  return {
    async listPolicyEntities() {
      const entities = await listPolicyEntities(
        await auth.getOwnServiceCredentials(),
      );
      return entities.flatMap(entity => {
        const policy = resolveEntityPolicy(entity, policies);
        return policy
          ? [
              {
                entityRef:
                  stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
                entity,
                policy,
              },
            ]
          : [];
      });
    },

    async ingestRuns(reports) {
      const refs = reports.map((r, i) =>
        normalizeEntityRef(r.entityRef, `runs[${i}].entityRef`),
      );
      const uniqueRefs = [...new Set(refs)];
      // The caller was authorized to ingest; the lookup runs as this plugin so
      // that ingest does not depend on catalog permissions of the caller.
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: uniqueRefs },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const known = new Map<string, Entity | undefined>();
      uniqueRefs.forEach((ref, i) => known.set(ref, items[i]));

      refs.forEach((ref, i) => {
        const field =
          reports.length === 1 ? 'entityRef' : `runs[${i}].entityRef`;
        const entity = known.get(ref);
        if (!entity) {
          throw new InputError(`${field}: '${ref}' is not in the catalog`);
        }
        if (!resolveEntityPolicy(entity, policies)) {
          throw new InputError(
            `${field}: '${ref}' has no known backup policy (annotation ${BACKUP_POLICY_ANNOTATION})`,
          );
        }
      });

      const result = await store.insertRuns(
        reports.map((r, i) => ({ ...r, entityRef: refs[i] })),
      );
      if (result.stored > 0) generation += 1;
      logger.info('Stored backup runs', {
        received: reports.length,
        stored: result.stored,
        duplicates: result.duplicates,
        entities: uniqueRefs.length,
      });
      return result;
    },

    async getOverview(query: OverviewQuery, readOptions) {
      const { at, rows } = await statusSnapshot(readOptions?.fresh);
      const entities = rows.map(r => r.entity);
      const needle = query.q?.toLocaleLowerCase('en-US');
      const items = rows
        .map(r => r.item)
        .filter((item, i) => {
          if (query.status && item.backup.status !== query.status) return false;
          if (query.policy && item.policyName !== query.policy) return false;
          if (query.owner && !ownerMatches(entities[i], query.owner)) {
            return false;
          }
          if (
            needle &&
            !item.entityRef.includes(needle) &&
            !item.title?.toLocaleLowerCase('en-US').includes(needle)
          ) {
            return false;
          }
          return true;
        })
        .sort(
          (a, b) =>
            STATUS_ORDER[a.backup.status] - STATUS_ORDER[b.backup.status] ||
            a.entityRef.localeCompare(b.entityRef),
        );

      const sevenDaysAgo = at.getTime() - 7 * DAY_MS;
      const byStatus: Record<BackupHealth, number> = {
        ok: 0,
        warning: 0,
        critical: 0,
        unknown: 0,
      };
      let withinRpo = 0;
      let restoreTestedLast7Days = 0;
      for (const item of items) {
        byStatus[item.backup.status] += 1;
        if (
          item.policy &&
          item.backup.ageHours !== undefined &&
          item.backup.ageHours <= item.policy.rpoHours
        ) {
          withinRpo += 1;
        }
        const test = item.backup.lastRestoreTest;
        if (
          test?.status === 'succeeded' &&
          Date.parse(test.finishedAt) >= sevenDaysAgo
        ) {
          restoreTestedLast7Days += 1;
        }
      }

      return {
        items: items.slice(query.offset, query.offset + query.limit),
        totalItems: items.length,
        summary: {
          total: items.length,
          withinRpo,
          restoreTestedLast7Days,
          byStatus,
        },
      };
    },

    async getEntityDetails(entityRef, page, { credentials }) {
      const ref = normalizeEntityRef(entityRef);
      const entity = await catalog.getEntityByRef(ref, { credentials });
      if (!entity) {
        throw new NotFoundError(`Entity '${ref}' not found in the catalog`);
      }
      const at = now();
      const [runsByEntity, page1, restores] = await Promise.all([
        store.listRunsForStatus({
          since: new Date(at.getTime() - STATUS_WINDOW_DAYS * DAY_MS),
          entityRefs: [ref],
        }),
        store.listEntityRuns({ entityRef: ref, ...page }),
        store.listEntityRuns({
          entityRef: ref,
          types: ['restore-test', 'drill'],
          limit: 20,
          offset: 0,
        }),
      ]);
      return {
        ...toItem(entity, runsByEntity.get(ref) ?? [], at),
        runs: page1.runs,
        totalRuns: page1.totalRuns,
        restoreTests: restores.runs,
      };
    },
  };
}
