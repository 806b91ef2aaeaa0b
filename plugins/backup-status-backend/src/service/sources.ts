import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  MAX_BATCH_RUNS,
  RunReport,
  runReportSchema,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupSource } from '@platform-portal/backstage-plugin-backup-status-node';
import {
  describeIssues,
  distinctSample,
  TrustedLocations,
} from '@platform-portal/backstage-plugin-platform-node';
import { BackupStatusService } from './types';

/**
 * Runs one source once and ingests what it finds. Only entities from
 * trusted locations (the backend kit's `TrustedLocations`) are handed to
 * the source: any signed-in user may register a location, and an entity's
 * annotations choose what the source lists (a bucket prefix, a Velero
 * schedule). A run the source reports that the schema refuses, or for an
 * entity it was not handed, is skipped with a warning naming the entity;
 * the others are stored.
 */
export async function runSource(options: {
  source: BackupSource;
  service: BackupStatusService;
  logger: LoggerService;
  now: Date;
  trustedLocations: TrustedLocations;
}): Promise<{ found: number; stored: number }> {
  const { source, service, logger, now, trustedLocations } = options;
  const all = await service.listPolicyEntities();
  const entities = all.filter(e => trustedLocations.isTrusted(e.entity));
  if (entities.length < all.length) {
    const skipped = all.filter(e => !trustedLocations.isTrusted(e.entity));
    logger.info(
      `Backup source ${source.id} skips ${skipped.length} entities from untrusted locations`,
      {
        source: source.id,
        untrusted: distinctSample(
          skipped.map(e => e.entityRef),
          20,
        ),
      },
    );
  }
  const scanned = new Set(entities.map(e => e.entityRef));
  const found = await source.scan({ entities, now, logger });
  const reports: RunReport[] = [];
  for (const report of found) {
    const entityRef = String(report?.entityRef ?? '').toLocaleLowerCase(
      'en-US',
    );
    const parsed = runReportSchema.safeParse(report);
    if (!parsed.success) {
      logger.warn(
        `Backup source ${
          source.id
        } reported a run for ${entityRef} that is not valid: ${describeIssues(
          parsed.error.issues,
        )}`,
        { source: source.id, entityRef },
      );
    } else if (!scanned.has(entityRef)) {
      logger.warn(
        `Backup source ${source.id} reported a run for ${entityRef}, which it was not asked to scan`,
        { source: source.id, entityRef },
      );
    } else {
      reports.push(parsed.data);
    }
  }
  let stored = 0;
  for (let i = 0; i < reports.length; i += MAX_BATCH_RUNS) {
    const result = await service.ingestRuns(
      reports.slice(i, i + MAX_BATCH_RUNS),
      // a Backup or object whose record changed since the last scan keeps
      // its first run, with a warning: one cannot stop the scan of the rest
      { source: source.id, onConflict: 'keep-first' },
    );
    stored += result.stored;
    for (const conflict of result.conflicts) {
      logger.warn(
        `Backup source ${source.id} reported run ${
          conflict.idempotencyKey
        } again with other content (${conflict.fields.join(
          ', ',
        )}); the first report stays`,
        { source: source.id, idempotencyKey: conflict.idempotencyKey },
      );
    }
  }
  logger.info('Backup source scanned', {
    source: source.id,
    found: found.length,
    stored,
  });
  return { found: found.length, stored };
}

/**
 * Schedules every registered source on the scheduler with `scope: 'global'`,
 * so several replicas scan once per cadence (`backupStatus.sources.schedule`,
 * default every 15 minutes).
 */
export async function scheduleSources(options: {
  sources: BackupSource[];
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  service: BackupStatusService;
  logger: LoggerService;
  /** Whose entities drive a bucket listing or a Velero query. */
  trustedLocations: TrustedLocations;
}): Promise<void> {
  const { sources, scheduler, schedule, service, logger, trustedLocations } =
    options;
  for (const source of sources) {
    await scheduler.scheduleTask({
      id: `backup-status:source:${source.id}`,
      ...schedule,
      scope: 'global',
      fn: async () => {
        await runSource({
          source,
          service,
          logger: logger.child({ source: source.id }),
          now: new Date(),
          trustedLocations,
        });
      },
    });
  }
}
