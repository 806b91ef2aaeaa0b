import { Config } from '@backstage/config';
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
        idempotencyKey: `velero:${
          b.metadata.uid ?? `${namespace}/${b.metadata.name}`
        }`,
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

  /** Lists each entity's schedule's Backups and maps them with {@link backupsToRuns}. */
  async scan({
    entities,
    logger,
  }: BackupSourceScanOptions): Promise<RunReport[]> {
    const { list, namespace } = this.options;
    const reports: RunReport[] = [];
    for (const { entityRef, entity } of entities) {
      const schedule =
        entity.metadata.annotations?.[VELERO_SCHEDULE_ANNOTATION];
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
