import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DEMO_TOOL,
  MAX_BATCH_RUNS,
  RunReport,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupSourceEntity } from '@platform-portal/backstage-plugin-backup-status-node';
import { BackupStore } from '../database/BackupStore';
import { BackupStatusService } from './types';

/** The source of the demo feed's runs (its keys are scoped to it). */
export const DEMO_SOURCE = 'demo';

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const DEMO_DAYS = 30;

/** Small stable hash, so every entity gets its own but repeatable numbers. */
function hash(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  return h;
}

const BASE_SIZE: Record<string, number> = {
  'postgres-daily': 2_000_000_000,
  'redis-daily': 120_000_000,
  'volumes-daily': 9_000_000_000,
  'config-daily': 4_000_000,
};

/** The size of the demo's suspiciously small dump: 1 MiB. */
const DEMO_ANOMALY_SIZE = 1_048_576;

/** The roles the demo gives to a few entities, so every state shows. */
export interface DemoProblems {
  /** Missed the backup 3 nights ago (warning: missing day). */
  missedNight?: string;
  /** Latest restore test failed (critical). */
  failedRestoreTest?: string;
  /** Backups failing for the last 2 nights (critical: RPO breached). */
  failingBackups?: string;
  /** Storage keeps only 3 days (warning: retention short). */
  shortRetention?: string;
  /** Restore takes 2.5 h (warning: over RTO). */
  slowRestore?: string;
  /** Last night's dump is 1 MiB after a month of full ones (warning: size anomaly). */
  sizeAnomaly?: string;
  /** No runs at all (unknown). */
  noRuns?: string;
}

/** Picks the demo problem entities from the estate, deterministically. */
export function pickDemoProblems(entities: BackupSourceEntity[]): DemoProblems {
  const refs = entities.map(e => e.entityRef).sort();
  const dbs = refs.filter(r => r.startsWith('resource:') && r.endsWith('-db'));
  return {
    missedNight: dbs[0],
    failedRestoreTest: dbs[1],
    failingBackups: dbs[2],
    sizeAnomaly: dbs.length > 4 ? dbs[3] : undefined,
    noRuns: dbs.length > 3 ? dbs[dbs.length - 1] : undefined,
    shortRetention: entities.find(e => e.policy.name === 'redis-daily')
      ?.entityRef,
    slowRestore: entities.find(e => e.policy.name === 'volumes-daily')
      ?.entityRef,
  };
}

/**
 * ~30 days of plausible runs for each entity ending at `now`: a backup at
 * 02:00 UTC each night, a restore test each Sunday at 04:00 UTC, a manual drill
 * two weeks ago on PostgreSQL, and the problems of {@link pickDemoProblems}.
 * Every run has `tool: 'demo'` and a key derived from entity, type and day, so
 * feeding the same period twice stores nothing new.
 */
export function generateDemoRuns(
  entities: BackupSourceEntity[],
  now: Date,
): RunReport[] {
  const problems = pickDemoProblems(entities);
  const todayStart = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  const runs: RunReport[] = [];

  for (const { entityRef, policy } of entities) {
    if (entityRef === problems.noRuns) continue;
    const h = hash(entityRef);
    const baseSize =
      (BASE_SIZE[policy.name] ?? 1_000_000_000) * (0.5 + (h % 100) / 100);
    const slug = entityRef.replace(/[^a-z0-9-]+/g, '-');

    for (let daysAgo = DEMO_DAYS - 1; daysAgo >= 0; daysAgo--) {
      const dayStart = todayStart - daysAgo * DAY_MS;
      const date = new Date(dayStart).toISOString().slice(0, 10);
      const dayIndex = DEMO_DAYS - 1 - daysAgo;

      // Nightly backup at 02:00 UTC, 3-20 minutes long.
      const started = dayStart + 2 * 60 * MINUTE_MS + (h % 7) * MINUTE_MS;
      const finished = started + (3 + ((h + dayIndex) % 17)) * MINUTE_MS;
      const missed = entityRef === problems.missedNight && daysAgo === 3;
      const failing = entityRef === problems.failingBackups && daysAgo < 2;
      if (finished <= now.getTime() && !missed) {
        const size =
          entityRef === problems.sizeAnomaly && daysAgo === 0
            ? DEMO_ANOMALY_SIZE
            : Math.round(baseSize * (1 + dayIndex * 0.006));
        runs.push({
          entityRef,
          type: 'backup',
          status: failing ? 'failed' : 'succeeded',
          startedAt: new Date(started).toISOString(),
          finishedAt: new Date(finished).toISOString(),
          idempotencyKey: `demo:${slug}:backup:${date}`,
          tool: DEMO_TOOL,
          ...(failing
            ? { message: 'No space left on device (backup volume full)' }
            : {
                sizeBytes: size,
                location: `s3://platform-backups/${slug}/${date}.dump`,
                checksum: `sha256:${(h * (dayIndex + 1)).toString(16)}`,
              }),
          ...(entityRef === problems.shortRetention
            ? {
                oldestKeptAt: new Date(finished - 3 * DAY_MS).toISOString(),
              }
            : {}),
        });
      }

      // Weekly restore test, Sundays 04:00 UTC.
      if (new Date(dayStart).getUTCDay() === 0) {
        const rStart = dayStart + 4 * 60 * MINUTE_MS;
        let minutes = 15 + (h % 30);
        if (entityRef === problems.slowRestore) minutes = 150;
        const rEnd = rStart + minutes * MINUTE_MS;
        const isLatestWeek = daysAgo < 7;
        const fails = entityRef === problems.failedRestoreTest && isLatestWeek;
        if (rEnd <= now.getTime()) {
          runs.push({
            entityRef,
            type: 'restore-test',
            status: fails ? 'failed' : 'succeeded',
            startedAt: new Date(rStart).toISOString(),
            finishedAt: new Date(rEnd).toISOString(),
            idempotencyKey: `demo:${slug}:restore-test:${date}`,
            tool: DEMO_TOOL,
            message: fails
              ? 'pg_restore: error: could not read from input file: end of file'
              : 'Restored into a scratch container and ran smoke queries',
          });
        }
      }
    }

    // Monthly manual drill on the PostgreSQL component, two weeks ago.
    if (
      policy.name === 'postgres-daily' &&
      entityRef.startsWith('component:')
    ) {
      const dStart = todayStart - 14 * DAY_MS + 10 * 60 * MINUTE_MS;
      const date = new Date(dStart).toISOString().slice(0, 10);
      runs.push({
        entityRef,
        type: 'drill',
        status: 'succeeded',
        startedAt: new Date(dStart).toISOString(),
        finishedAt: new Date(dStart + 75 * MINUTE_MS).toISOString(),
        idempotencyKey: `demo:${slug}:drill:${date}`,
        tool: DEMO_TOOL,
        message: 'Manual drill: full server restore on a fresh CCX32',
      });
    }
  }
  return runs;
}

/**
 * Feeds demo runs through the ingest service, unless real (non-demo) runs
 * exist. Safe to repeat: idempotency keys make a second feed store nothing
 * but the days that passed since the first.
 */
export async function feedDemoData(options: {
  service: BackupStatusService;
  store: BackupStore;
  logger: LoggerService;
  now: Date;
}): Promise<{ stored: number }> {
  const { service, store, logger, now } = options;
  if ((await store.countRuns({ excludeTool: DEMO_TOOL })) > 0) {
    logger.info('Real backup runs exist; not feeding demo data');
    return { stored: 0 };
  }
  const entities = await service.listPolicyEntities();
  const runs = generateDemoRuns(entities, now);
  let stored = 0;
  for (let i = 0; i < runs.length; i += MAX_BATCH_RUNS) {
    // The generated history moves with the clock (sizes, the failing
    // nights are the last two); what was fed first stays.
    const result = await service.ingestRuns(runs.slice(i, i + MAX_BATCH_RUNS), {
      source: DEMO_SOURCE,
      onConflict: 'keep-first',
    });
    stored += result.stored;
  }
  const fields = { entities: entities.length, generated: runs.length, stored };
  if (stored > 0) {
    logger.info('Fed demo backup runs', fields);
  } else {
    logger.debug('Demo backup runs already present', fields);
  }
  return { stored };
}
