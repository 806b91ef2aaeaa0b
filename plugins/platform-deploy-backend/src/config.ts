import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readScheduleFromConfig } from '@platform-portal/backstage-plugin-platform-node';

const CATALOG_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 2 },
  initialDelay: { seconds: 5 },
};

// Two consecutive failures a minute apart: the two minutes after which a
// service counts as down (`ServiceDown` in docs/runbooks/incident-response.md).
const HEALTH_PROBE_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 30 },
};

// Once a day, some minutes after a start.
const RETENTION_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 24 },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 10 },
};

// The estate's metrics the deployments page asks for, kept computed; 30 s
// keeps a kept answer well under MetricsSnapshots' 60 s bound.
const METRICS_WARM_UP_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { minutes: 2 },
  initialDelay: { seconds: 30 },
};

/** The plugin's settings, read once from `platformDeploy` (see config.d.ts). */
export type PlatformDeployConfig = {
  environments: string[];
  productionEnvironment: string;
  demoEnabled: boolean;
  /** Entities whose demo history deploys continuously (`demo.continuousDelivery`). */
  demoContinuousDelivery: string[];
  /** Reported events per credential per minute (per replica). */
  ingestEventsPerMinute: number;
  catalogSyncSchedule: SchedulerServiceTaskScheduleDefinition;
  healthProbe: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    timeoutMs: number;
    concurrency: number;
    downAfterFailures: number;
    /** `host` or `host:port` entries exempt from the address check. */
    allowedHosts: string[];
  };
  retention: {
    /** Events older than this many days are deleted. */
    days: number;
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  metrics: {
    /** Windows (days) of the whole estate's metrics computed ahead of requests. */
    warmWindows: number[];
    warmSchedule: SchedulerServiceTaskScheduleDefinition;
  };
};

/** Keys the plugin no longer reads, with what replaced them. */
export const RETIRED_KEYS: Record<string, string> = {
  'platformDeploy.ingest.requestsPerMinute':
    'platformDeploy.ingest.eventsPerMinute (reports are counted, not requests)',
};

function positiveInteger(value: number, key: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${key} must be a positive integer, got ${value}`);
  }
  return value;
}

function positiveIntegers(value: unknown, key: string): number[] {
  if (!Array.isArray(value)) {
    throw new Error(`${key} must be a list of positive integers`);
  }
  return value.map((item, i) => positiveInteger(Number(item), `${key}[${i}]`));
}

export function readPlatformDeployConfig(root: Config): PlatformDeployConfig {
  const config = root.getOptionalConfig('platformDeploy');
  const environments = config?.getOptionalStringArray('environments') ?? [
    'staging',
    'production',
  ];
  return {
    environments,
    productionEnvironment:
      config?.getOptionalString('productionEnvironment') ??
      environments[environments.length - 1],
    demoEnabled: config?.getOptionalBoolean('demo.enabled') ?? false,
    demoContinuousDelivery: (
      config?.getOptionalStringArray('demo.continuousDelivery') ?? []
    ).map(ref => ref.toLocaleLowerCase('en-US')),
    ingestEventsPerMinute: positiveInteger(
      config?.getOptionalNumber('ingest.eventsPerMinute') ?? 6000,
      'platformDeploy.ingest.eventsPerMinute',
    ),
    catalogSyncSchedule: readScheduleFromConfig(
      config,
      'catalogSync.schedule',
      CATALOG_SYNC_SCHEDULE,
    ),
    healthProbe: {
      enabled: config?.getOptionalBoolean('healthProbe.enabled') ?? true,
      schedule: readScheduleFromConfig(
        config,
        'healthProbe.schedule',
        HEALTH_PROBE_SCHEDULE,
      ),
      timeoutMs: config?.getOptionalNumber('healthProbe.timeoutMs') ?? 5000,
      concurrency: config?.getOptionalNumber('healthProbe.concurrency') ?? 8,
      downAfterFailures:
        config?.getOptionalNumber('healthProbe.downAfterFailures') ?? 2,
      allowedHosts:
        config?.getOptionalStringArray('healthProbe.allowedHosts') ?? [],
    },
    retention: {
      days: positiveInteger(
        config?.getOptionalNumber('retention.days') ?? 365,
        'platformDeploy.retention.days',
      ),
      schedule: readScheduleFromConfig(
        config,
        'retention.schedule',
        RETENTION_SCHEDULE,
      ),
    },
    metrics: {
      warmWindows: positiveIntegers(
        config?.getOptional('metrics.warmWindows') ?? [30],
        'platformDeploy.metrics.warmWindows',
      ),
      warmSchedule: readScheduleFromConfig(
        config,
        'metrics.warmSchedule',
        METRICS_WARM_UP_SCHEDULE,
      ),
    },
  };
}
