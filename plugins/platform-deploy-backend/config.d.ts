import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Settings of the platform-deploy backend plugin. */
  platformDeploy?: {
    /**
     * Environments in promotion order. Default: ['staging', 'production'].
     * @visibility frontend
     */
    environments?: string[];
    /** The environment the deployment KPIs are about. Default: the last of `environments`. */
    productionEnvironment?: string;
    ingest?: {
      /** Ingest requests (single events or batches) per token per minute, per replica; more get 429. Default: 600. */
      requestsPerMinute?: number;
    };
    demo?: {
      /** Feed ~30 days of demo history through the ingest service when the store is empty. Default: false. */
      enabled?: boolean;
    };
    catalogSync?: {
      /** When to copy the catalog's components into the store. Default: every 5 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    healthProbe?: {
      /** Probe each service's health URLs on the scheduler. Default: true. */
      enabled?: boolean;
      /** When to probe. Default: every minute (down after two failures: the two minutes of `ServiceDown`, docs/runbooks/incident-response.md). */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Timeout of one probe in milliseconds. Default: 5000. */
      timeoutMs?: number;
      /** Probes in flight at once. Default: 8. */
      concurrency?: number;
      /** Consecutive failed probes before a service counts as down. Default: 2. */
      downAfterFailures?: number;
    };
  };
}
