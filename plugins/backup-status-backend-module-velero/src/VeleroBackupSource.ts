import { Config } from '@backstage/config';
import { createHash } from 'node:crypto';
import { RunReport } from '@platform-portal/backstage-plugin-backup-status-common';
import {
  BackupSource,
  BackupSourceScanOptions,
} from '@platform-portal/backstage-plugin-backup-status-node';

/**
 * Annotation naming the entity's Velero schedule (label `velero.io/schedule-name`).
 *
 * @public
 */
export const VELERO_SCHEDULE_ANNOTATION = 'platform-portal.dev/velero-schedule';

/**
 * The parts of a `velero.io/v1` Backup we read (Velero's documented API).
 *
 * @public
 */
export type VeleroBackup = {
  metadata: {
    name: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
  };
  status?: {
    phase?: string;
    startTimestamp?: string;
    completionTimestamp?: string;
    expiration?: string;
    errors?: number;
    warnings?: number;
    progress?: { itemsBackedUp?: number; totalItems?: number };
  };
};

/**
 * Lists a namespace's Backup objects with a label selector.
 *
 * @public
 */
export type ListBackups = (options: {
  namespace: string;
  labelSelector: string;
}) => Promise<VeleroBackup[]>;

/**
 * A Kubernetes label value: at most 63 characters, alphanumerics, `-`, `_`
 * and `.`, beginning and ending with an alphanumeric (the API server's own
 * rule). The schedule name goes into a label selector; anything else (a
 * comma, `!=`, ` in (…)`, a space) would change what the selector selects.
 */
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/**
 * The entity's Velero schedule from its annotation, checked as a label
 * value; undefined without the annotation. Throws an `Error` naming the
 * annotation when it is not a label value.
 */
export function entitySchedule(
  annotations: Record<string, string> | undefined,
): string | undefined {
  const schedule = annotations?.[VELERO_SCHEDULE_ANNOTATION];
  if (schedule === undefined || schedule === '') return undefined;
  if (!LABEL_VALUE.test(schedule)) {
    throw new Error(
      `${VELERO_SCHEDULE_ANNOTATION} '${schedule.slice(
        0,
        100,
      )}' is not a Kubernetes label value (at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit)`,
    );
  }
  return schedule;
}

/** The longest idempotency key the ingest accepts. */
const MAX_KEY = 200;

/**
 * The idempotency key of one Backup (its `uid`, else `namespace/name`) as
 * one entity's run: `velero:<entityRef>:<uid>`, with the entity ref hashed
 * when the key would be longer than 200 characters. With the entity ref,
 * two entities naming the same schedule get one run each.
 *
 * @public
 */
export function veleroRunKey(entityRef: string, backupId: string): string {
  const key = `velero:${entityRef}:${backupId}`;
  if (key.length <= MAX_KEY) return key;
  const hash = createHash('sha256').update(entityRef).digest('hex');
  return `velero:${hash.slice(0, 32)}:${backupId}`;
}

const FINISHED: Record<string, RunReport['status'] | undefined> = {
  Completed: 'succeeded',
  PartiallyFailed: 'failed',
  Failed: 'failed',
  FailedValidation: 'failed',
};

/**
 * Maps the finished Backups of one schedule to run reports; running ones wait.
 *
 * @public
 */
export function backupsToRuns(
  entityRef: string,
  namespace: string,
  backups: VeleroBackup[],
): RunReport[] {
  const finished = backups.filter(b => FINISHED[b.status?.phase ?? '']);
  const completedStarts = finished
    .filter(b => b.status?.phase === 'Completed')
    .map(b => b.status?.startTimestamp ?? b.metadata.creationTimestamp)
    .filter((t): t is string => Boolean(t))
    .sort();
  return finished.flatMap(b => {
    const startedAt = b.status?.startTimestamp ?? b.metadata.creationTimestamp;
    if (!startedAt) return [];
    const phase = b.status!.phase!;
    const details = [
      `phase ${phase}`,
      b.status?.errors ? `${b.status.errors} errors` : undefined,
      b.status?.warnings ? `${b.status.warnings} warnings` : undefined,
      b.status?.expiration ? `expires ${b.status.expiration}` : undefined,
    ].filter(Boolean);
    return [
      {
        entityRef,
        type: 'backup' as const,
        status: FINISHED[phase]!,
        startedAt,
        finishedAt: b.status?.completionTimestamp ?? startedAt,
        idempotencyKey: veleroRunKey(
          entityRef,
          b.metadata.uid ?? `${namespace}/${b.metadata.name}`,
        ),
        location: `velero://${namespace}/${b.metadata.name}`,
        tool: 'velero',
        message: details.join(', '),
        // the oldest completed backup Velero still keeps: retention
        oldestKeptAt: completedStarts[0],
      },
    ];
  });
}

/**
 * A {@link @platform-portal/backstage-plugin-backup-status-node#BackupSource}
 * that reads Velero's `Backup` objects of each entity's schedule (annotation
 * `platform-portal.dev/velero-schedule`) through the Kubernetes API with
 * `@kubernetes/client-node`.
 *
 * @public
 */
export class VeleroBackupSource implements BackupSource {
  /** The source id, `velero`. */
  readonly id = 'velero';

  /** Creates the source from the `backupStatus.velero` config block. */
  static async fromConfig(config: Config): Promise<VeleroBackupSource> {
    // @kubernetes/client-node 1.x is an ES module: Node 22 loads it with
    // require (as Backstage's Kubernetes backend does)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const k8s: typeof import('@kubernetes/client-node') = require('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'velero',
          server: config.getString('url'),
          caData: config.getOptionalString('caData'),
          skipTLSVerify: config.getOptionalBoolean('skipTLSVerify') ?? false,
        },
      ],
      users: [{ name: 'velero', token: config.getString('token') }],
      contexts: [{ name: 'velero', cluster: 'velero', user: 'velero' }],
      currentContext: 'velero',
    });
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const list: ListBackups = async ({ namespace, labelSelector }) => {
      const response: any = await api.listNamespacedCustomObject({
        group: 'velero.io',
        version: 'v1',
        namespace,
        plural: 'backups',
        labelSelector,
      });
      return (response?.items ?? []) as VeleroBackup[];
    };
    return new VeleroBackupSource({
      list,
      namespace: config.getOptionalString('namespace') ?? 'velero',
    });
  }

  constructor(
    private readonly options: { list: ListBackups; namespace: string },
  ) {}

  /**
   * Lists each entity's schedule's Backups and maps them with
   * {@link backupsToRuns}. An entity whose annotation is not a label value
   * is skipped with a warning naming it; the others are scanned.
   */
  async scan({
    entities,
    logger,
  }: BackupSourceScanOptions): Promise<RunReport[]> {
    const { list, namespace } = this.options;
    const reports: RunReport[] = [];
    for (const { entityRef, entity } of entities) {
      let schedule: string | undefined;
      try {
        schedule = entitySchedule(entity.metadata.annotations);
      } catch (error) {
        logger.warn(
          `Skipped the Velero backups of ${entityRef}: ${
            (error as Error).message
          }`,
          { entityRef },
        );
        continue;
      }
      if (!schedule) continue;
      const backups = await list({
        namespace,
        labelSelector: `velero.io/schedule-name=${schedule}`,
      });
      const runs = backupsToRuns(entityRef, namespace, backups);
      logger.debug('Velero backups', {
        entityRef,
        schedule,
        runs: runs.length,
      });
      reports.push(...runs);
    }
    return reports;
  }
}
