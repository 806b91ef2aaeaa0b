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

/** The plugin's settings, read once from `platformDeploy` (see config.d.ts). */
export type PlatformDeployConfig = {
  environments: string[];
  productionEnvironment: string;
  demoEnabled: boolean;
  /** Ingest requests per token per minute (per replica). */
  ingestRequestsPerMinute: number;
  catalogSyncSchedule: SchedulerServiceTaskScheduleDefinition;
  healthProbe: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    timeoutMs: number;
    concurrency: number;
    downAfterFailures: number;
  };
};

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
    ingestRequestsPerMinute:
      config?.getOptionalNumber('ingest.requestsPerMinute') ?? 600,
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
    },
  };
}
