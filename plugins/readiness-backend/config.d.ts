import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** The readiness plugin (plugins/readiness-backend). */
  readiness?: {
    /**
     * The levels, lowest first; each check of
     * `techInsights.factChecker.checks` names one in `metadata.level`.
     */
    levels?: Array<{
      /** What check metadata names: lower-case letters, digits and -. */
      id: string;
      /** What people read. */
      title: string;
    }>;
    /** When every entity is evaluated (scope global). Default: every 30 minutes. */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /** Days of per-entity level history kept. Default 400. */
    historyDays?: number;
    notifications?: {
      /** Tell the owning team when a service drops a level. Default true. */
      enabled?: boolean;
    };
  };
}
