import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { MAX_BATCH_RUNS } from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupSource } from '@platform-portal/backstage-plugin-backup-status-node';
import { BackupStatusService } from './types';

/** Runs one source once and ingests what it finds. */
export async function runSource(options: {
  source: BackupSource;
  service: BackupStatusService;
  logger: LoggerService;
  now: Date;
}): Promise<{ found: number; stored: number }> {
  const { source, service, logger, now } = options;
  const entities = await service.listPolicyEntities();
  const reports = await source.scan({ entities, now, logger });
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
    found: reports.length,
    stored,
  });
  return { found: reports.length, stored };
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
}): Promise<void> {
  const { sources, scheduler, schedule, service, logger } = options;
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
        });
      },
    });
  }
}
