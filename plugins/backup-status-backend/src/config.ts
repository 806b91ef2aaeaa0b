import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import {
  BackupPolicy,
  DEFAULT_SIZE_ANOMALY,
  SERIES_DAYS,
  SizeAnomalyPolicy,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { readScheduleFromConfig } from '@platform-portal/backstage-plugin-platform-node';
import {
  BUILT_IN_POLICIES,
  durationHours,
  POLICY_FIELD_DEFAULTS,
} from './policies/policies';

/** The `backupStatus` config block, read once at start (see `config.d.ts`). */
export interface BackupStatusConfig {
  /** Built-in policies with `backupStatus.policies` merged over them, by name. */
  policies: Map<string, BackupPolicy>;
  ingest: {
    /** Reported runs per credential per minute, per replica (a batch of n counts n). */
    runsPerMinute: number;
  };
  notifications: {
    /** When the notification task compares statuses. */
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  sources: {
    /** When each registered backup source scans. */
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  demo: {
    /** Feed generated runs (tool `demo`). */
    enabled: boolean;
  };
  retention: {
    /** Runs that finished longer ago are deleted (the latest of each kind stays). */
    days: number;
    /** When the retention task runs. */
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
}

/** Every 15 minutes, the first pass a minute after start. */
export const DEFAULT_NOTIFY_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 5 },
  initialDelay: { minutes: 1 },
};

/** Every 15 minutes, the first scan 30 s after start. */
export const DEFAULT_SOURCES_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 15 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 30 },
  };

/** Keys the plugin no longer reads, with what replaced them. */
export const RETIRED_KEYS: Record<string, string> = {
  'backupStatus.ingest.requestsPerMinute':
    'backupStatus.ingest.runsPerMinute (runs are counted, not requests)',
};

/** The shortest retention: the status engine's window (the 30-day series). */
export const MIN_RETENTION_DAYS = SERIES_DAYS + 1;

function retentionDays(value: number): number {
  const key = 'backupStatus.retention.days';
  positiveInteger(value, key);
  if (value < MIN_RETENTION_DAYS) {
    throw new Error(
      `${key} must be at least ${MIN_RETENTION_DAYS} (the status window), got ${value}`,
    );
  }
  return value;
}

function positiveInteger(value: number, key: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${key} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Once a day, some minutes after a start. */
export const DEFAULT_RETENTION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { hours: 24 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 10 },
  };

/** The most previous backups the size check may compare with. */
export const MAX_ANOMALY_WINDOW = 100;

/**
 * A policy's `anomaly` block over its base's: `minRatio` a number from 0
 * (off) to 1, `window` a whole number of backups from 1 to 100; throws
 * naming the key.
 */
function readAnomaly(
  policy: Config,
  key: string,
  base: BackupPolicy,
): SizeAnomalyPolicy {
  const fallback = base.anomaly ?? DEFAULT_SIZE_ANOMALY;
  const c = policy.getOptionalConfig('anomaly');
  const minRatio = c?.getOptionalNumber('minRatio') ?? fallback.minRatio;
  if (!Number.isFinite(minRatio) || minRatio < 0 || minRatio > 1) {
    throw new Error(
      `${key}.minRatio must be a number from 0 (off) to 1, got ${minRatio}`,
    );
  }
  const window = c?.getOptionalNumber('window') ?? fallback.window;
  if (!Number.isInteger(window) || window < 1 || window > MAX_ANOMALY_WINDOW) {
    throw new Error(
      `${key}.window must be a whole number of backups from 1 to ${MAX_ANOMALY_WINDOW}, got ${window}`,
    );
  }
  return { minRatio, window };
}

/**
 * Reads `backupStatus.policies`: each entry overrides the fields it sets on the
 * built-in policy of the same name, or on `POLICY_FIELD_DEFAULTS` for a new
 * name. Throws on an invalid duration, naming the config key.
 */
function readPolicies(section: Config | undefined): Map<string, BackupPolicy> {
  const policies = new Map(Object.entries(BUILT_IN_POLICIES));
  for (const name of section?.keys() ?? []) {
    const c = section!.getConfig(name);
    const base = policies.get(name) ?? { name, ...POLICY_FIELD_DEFAULTS };
    policies.set(name, {
      name,
      schedule: c.getOptionalString('schedule') ?? base.schedule,
      rpoHours: c.has('rpo') ? durationHours(c, 'rpo') : base.rpoHours,
      retentionDays: c.has('retention')
        ? durationHours(c, 'retention') / 24
        : base.retentionDays,
      restoreTestIntervalDays: c.has('restoreTestInterval')
        ? durationHours(c, 'restoreTestInterval') / 24
        : base.restoreTestIntervalDays,
      rtoHours: c.has('rto') ? durationHours(c, 'rto') : base.rtoHours,
      graceHours: c.has('grace') ? durationHours(c, 'grace') : base.graceHours,
      anomaly: readAnomaly(c, `backupStatus.policies.${name}.anomaly`, base),
    });
  }
  return policies;
}

/**
 * The one reader of the plugin's config: `plugin.ts` calls it once and hands
 * the parts to the services and tasks. Throws at start on an invalid value,
 * naming the key.
 */
export function readBackupStatusConfig(rootConfig: Config): BackupStatusConfig {
  const config = rootConfig.getOptionalConfig('backupStatus');
  // `sources.frequency` is the short form of `sources.schedule.frequency`.
  const sourcesFallback: SchedulerServiceTaskScheduleDefinition = {
    ...DEFAULT_SOURCES_SCHEDULE,
    ...(config?.has('sources.frequency') && {
      frequency: readDurationFromConfig(config, { key: 'sources.frequency' }),
    }),
  };
  return {
    policies: readPolicies(config?.getOptionalConfig('policies')),
    ingest: {
      runsPerMinute: positiveInteger(
        config?.getOptionalNumber('ingest.runsPerMinute') ?? 6000,
        'backupStatus.ingest.runsPerMinute',
      ),
    },
    notifications: {
      schedule: readScheduleFromConfig(
        config,
        'notifications.schedule',
        DEFAULT_NOTIFY_SCHEDULE,
      ),
    },
    sources: {
      schedule: readScheduleFromConfig(
        config,
        'sources.schedule',
        sourcesFallback,
      ),
    },
    demo: { enabled: config?.getOptionalBoolean('demo.enabled') ?? false },
    retention: {
      days: retentionDays(config?.getOptionalNumber('retention.days') ?? 365),
      schedule: readScheduleFromConfig(
        config,
        'retention.schedule',
        DEFAULT_RETENTION_SCHEDULE,
      ),
    },
  };
}
