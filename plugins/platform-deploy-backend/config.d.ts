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
      /**
       * Reported events per credential per minute, per replica (a batch of
       * 100 counts 100); more get 429. Default: 6000. Replaces
       * `requestsPerMinute`, which is no longer read. What each credential
       * may report for is `platformPortal.ingest.credentials` (the backend kit).
       */
      eventsPerMinute?: number;
    };
    demo?: {
      /** Feed ~30 days of demo history through the ingest service when the store is empty. Default: false. */
      enabled?: boolean;
      /**
       * Entity refs whose demo history deploys continuously: several
       * production deploys a day, failures rare and fixed forward within the
       * hour (the others promote from staging every few days).
       */
      continuousDelivery?: string[];
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
      /** Timeout of one probe in milliseconds; must be shorter than the schedule's frequency and timeout (checked at start). Default: 5000. */
      timeoutMs?: number;
      /** Probes in flight at once. Default: 8. */
      concurrency?: number;
      /** Consecutive failed probes before a service counts as down. Default: 2. */
      downAfterFailures?: number;
      /**
       * Hosts whose health URLs may resolve to a loopback, private,
       * link-local or other non-public address (a cluster's internal
       * services): `host` (any port) or `host:port`, IPv6 in brackets. Any
       * other host is probed only at public addresses. Default: none.
       */
      allowedHosts?: string[];
    };
    retention?: {
      /** Deployment events older than this many days are deleted; the current state stays. Default: 365. */
      days?: number;
      /** When to delete them. Default: once a day. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    metrics?: {
      /**
       * Windows (days) of the whole estate's deployment metrics that every
       * replica computes at start and keeps computed, so that a dashboard's
       * request never waits for the scan of every event in the window.
       * Default: [30], the deployments page's window. An empty list turns it off.
       */
      warmWindows?: number[];
      /** How often each replica recomputes them. Default: every 30 seconds. */
      warmSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
