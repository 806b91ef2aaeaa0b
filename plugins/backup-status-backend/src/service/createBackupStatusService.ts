import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BACKUP_POLICY_ANNOTATION,
  BackupPolicy,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupStore } from '../database/BackupStore';
import { resolveEntityPolicy } from '../policies/policies';
import { getEntityDetails } from './entityDetails';
import { entityRefOf, normalizeEntityRef, ownerRefOf } from './entityRefs';
import { buildOverview, OverviewRow } from './overview';
import { statusWindowStart, toOverviewItem } from './overviewItem';
import { createStatusSnapshot } from './statusSnapshot';
import { BackupStatusService } from './types';

/** Only what status, filters and sources need; keeps catalog responses small. */
const POLICY_ENTITY_FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
];

/** `runs[3].entityRef`, or `entityRef` for a single run. */
function fieldPath(prefix: string, field: string) {
  return prefix ? `${prefix}.${field}` : field;
}

/**
 * The backup-status service: validates and stores reported runs, and answers
 * the overview (from a shared status snapshot) and entity details.
 */
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
  async function listAnnotatedEntities(
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${BACKUP_POLICY_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: POLICY_ENTITY_FIELDS,
      },
      { credentials },
    );
    return items;
  }

  // The status of every policy-bearing entity, in one pass: one catalog call
  // with this plugin's credentials and one query of the runs.
  const snapshot = createStatusSnapshot<OverviewRow>({
    logger,
    now,
    ttlMs: options.snapshotTtlMs,
    key: row => row.item.entityRef,
    async build(at) {
      const [entities, runsByEntity] = await Promise.all([
        listAnnotatedEntities(await auth.getOwnServiceCredentials()),
        store.listRunsForStatus({ since: statusWindowStart(at) }),
      ]);
      return entities.map(entity => ({
        entity,
        item: toOverviewItem(
          entity,
          runsByEntity.get(entityRefOf(entity)) ?? [],
          at,
          policies,
        ),
      }));
    },
  });

  /**
   * The rows of entities just written to, recomputed and patched into the
   * snapshot (one query of their runs): this replica's writes show at once,
   * without a full build. On failure the snapshot is only marked outdated.
   */
  async function patchSnapshot(entities: Entity[]) {
    const at = now();
    try {
      const runsByEntity = await store.listRunsForStatus({
        since: statusWindowStart(at),
        entityRefs: entities.map(entityRefOf),
      });
      snapshot.patch(
        entities.map(entity => ({
          entity,
          item: toOverviewItem(
            entity,
            runsByEntity.get(entityRefOf(entity)) ?? [],
            at,
            policies,
          ),
        })),
      );
    } catch (error) {
      logger.warn(`Could not update the backup status snapshot: ${error}`);
      snapshot.invalidate();
    }
  }

  return {
    async refreshSnapshot() {
      const started = Date.now();
      const { rows } = await snapshot.refresh();
      return { entities: rows.length, durationMs: Date.now() - started };
    },

    async listPolicyEntities() {
      const entities = await listAnnotatedEntities(
        await auth.getOwnServiceCredentials(),
      );
      return entities.flatMap(entity => {
        const policy = resolveEntityPolicy(entity, policies);
        return policy
          ? [{ entityRef: entityRefOf(entity), entity, policy }]
          : [];
      });
    },

    async ingestRuns(reports, ingestOptions) {
      const prefix = ingestOptions.fieldPrefix ?? (() => '');
      const field = (index: number) => fieldPath(prefix(index), 'entityRef');
      const refs = reports.map((r, i) =>
        normalizeEntityRef(r.entityRef, field(i)),
      );
      const uniqueRefs = [...new Set(refs)];
      // The caller was authorized to ingest; the lookup runs as this plugin so
      // that ingest does not depend on catalog permissions of the caller.
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: uniqueRefs },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const known = new Map<string, Entity | undefined>();
      uniqueRefs.forEach((ref, i) => known.set(ref, items[i] ?? undefined));

      refs.forEach((ref, i) => {
        const entity = known.get(ref);
        if (!entity) {
          throw new InputError(`${field(i)}: '${ref}' is not in the catalog`);
        }
        if (!resolveEntityPolicy(entity, policies)) {
          throw new InputError(
            `${field(
              i,
            )}: '${ref}' has no known backup policy (annotation ${BACKUP_POLICY_ANNOTATION})`,
          );
        }
      });

      // Who may report for what, with the owner the catalog says, before
      // anything is stored: one run out of scope refuses the whole batch.
      await ingestOptions.authorize?.(
        refs.map((ref, i) => ({
          entityRef: ref,
          owner: ownerRefOf(known.get(ref)!),
          field: field(i),
        })),
      );

      const result = await store.insertRuns(
        reports.map((r, i) => ({ ...r, entityRef: refs[i] })),
        {
          source: ingestOptions.source,
          onConflict: ingestOptions.onConflict ?? 'refuse',
        },
      );
      if ('conflict' in result) {
        const { index, idempotencyKey, fields } = result.conflict;
        throw new ConflictError(
          `${fieldPath(
            prefix(index),
            'idempotencyKey',
          )}: '${idempotencyKey}' was reported before with other content (${fields.join(
            ', ',
          )} differ); a retry must repeat the run as it was, a new run needs a new key`,
        );
      }
      if (result.stored > 0) {
        await patchSnapshot(uniqueRefs.map(ref => known.get(ref)!));
      }
      logger.info('Stored backup runs', {
        source: ingestOptions.source,
        received: reports.length,
        stored: result.stored,
        duplicates: result.duplicates,
        entities: uniqueRefs.length,
      });
      return result;
    },

    async getOverview(query, readOptions) {
      const { at, rows } = await snapshot.get({ fresh: readOptions?.fresh });
      return buildOverview(rows, query, at);
    },

    async getEntityDetails(entityRef, page, { credentials }) {
      // A user sees what the catalog lets them see. A service's token (CI,
      // dashboards) may be restricted to this plugin and cannot be delegated
      // to the catalog: its lookup runs as this plugin, as the overview's.
      const lookupCredentials = auth.isPrincipal(credentials, 'user')
        ? credentials
        : await auth.getOwnServiceCredentials();
      return getEntityDetails(
        { catalog, store, policies, now },
        entityRef,
        page,
        lookupCredentials,
      );
    },
  };
}
