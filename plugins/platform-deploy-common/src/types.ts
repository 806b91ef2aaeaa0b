/** The statuses a deployment event can report for one rollout of one service. @public */
export const DEPLOYMENT_STATUSES = [
  'started',
  'succeeded',
  'failed',
  'rolled_back',
] as const;

/** Status of a deployment event, one of {@link DEPLOYMENT_STATUSES}. @public */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** The blue/green slot that serves traffic after a deploy. @public */
export type DeploymentColor = 'blue' | 'green';

/** Health of a service in one environment, from the health probes. @public */
export type HealthState = 'up' | 'down' | 'unknown';

/** One reported deployment event, as stored (append-only). @public */
export type DeploymentEvent = {
  id: number;
  entityRef: string;
  environment: string;
  version: string;
  status: DeploymentStatus;
  idempotencyKey: string;
  commitSha?: string;
  commitTimestamp?: string;
  color?: DeploymentColor;
  startedAt?: string;
  finishedAt?: string;
  runUrl?: string;
  actor?: string;
  /** Where the event came from: `http`, `github`, `demo`, ... */
  source: string;
  receivedAt: string;
};

/** The current state of one service in one environment. @public */
export type EnvironmentState = {
  environment: string;
  /** The version live now: the last succeeded deploy. */
  version?: string;
  /** The version that was live before `version`: the rollback target. */
  previousVersion?: string;
  /** The blue/green slot that serves traffic. */
  liveColor?: DeploymentColor;
  /** Status of the most recent event, whatever its version. */
  lastStatus: DeploymentStatus;
  /** Version of the most recent event (differs from `version` while a deploy runs or after a failure). */
  lastVersion: string;
  lastEventAt: string;
  deployedAt?: string;
  deployedBy?: string;
  runUrl?: string;
  health: HealthState;
  healthCheckedAt?: string;
  /** HTTP status of the last probe; absent when it timed out or was refused. */
  healthStatusCode?: number;
  healthLatencyMs?: number;
  demo: boolean;
};

/**
 * One row of the overview: a service and its state in each environment.
 *
 * @public
 */
export type OverviewRow = {
  entityRef: string;
  title?: string;
  system?: string;
  owner?: string;
  type?: string;
  environments: Record<string, EnvironmentState | undefined>;
};

/** Response of `GET /v1/overview`. @public */
export type OverviewResponse = {
  environments: string[];
  items: OverviewRow[];
  totalItems: number;
};

/** Response of `GET /v1/entities/:kind/:namespace/:name`. @public */
export type EntityDeploymentsResponse = {
  entityRef: string;
  environments: string[];
  states: Record<string, EnvironmentState | undefined>;
  history: DeploymentEvent[];
  totalHistory: number;
};

/** A DORA-style figure with the estate's target (docs/estate-plan.md, Deployment targets) and whether it is met. @public */
export type MetricFigure = {
  value: number | null;
  unit: 'per-week' | 'ratio' | 'seconds';
  target: number;
  /** `min`: the value must be at least target; `max`: at most. */
  direction: 'min' | 'max';
  met: boolean | null;
};

/** Response of `GET /v1/metrics`. @public */
export type MetricsResponse = {
  scope: { entityRef?: string; system?: string };
  windowDays: number;
  from: string;
  to: string;
  deploysPerWeek: MetricFigure;
  successRate: MetricFigure;
  medianDurationSeconds: MetricFigure;
  p90DurationSeconds: MetricFigure;
  leadTimeSeconds: MetricFigure;
  changeFailureRate: MetricFigure;
  timeToRestoreSeconds: MetricFigure;
  weekly: Array<{ weekStart: string; succeeded: number; failed: number }>;
};

/**
 * The deployment facts of one deployable entity over a window of its
 * production events (`GET /v1/entity-facts`): what scorecards check.
 * Figures without events to compute them from are null.
 *
 * @public
 */
export type EntityDeployFacts = {
  entityRef: string;
  /** The entity deploys to the environment (its environments annotation). */
  deploysToEnvironment: boolean;
  /** The Component's `spec.type` (`service`, `website`, `mobile-app`, ...). */
  type?: string;
  /** Successful production deploys per week of the window. */
  productionDeploysPerWeek: number;
  /** Terminal production events (not `started`) in the window. */
  terminalDeploys: number;
  /** `failed` and `rolled_back` production events in the window. */
  failedDeploys: number;
  /** Succeeded / terminal. */
  successRate: number | null;
  /** The nearest-rank 90th percentile of the deploy durations, in seconds. */
  p90DurationSeconds: number | null;
  /** `failed` and `rolled_back` / terminal. */
  changeFailureRate: number | null;
  /** The median time from a failure to the next success, in seconds. */
  timeToRestoreSeconds: number | null;
  /** When the current production version was deployed. */
  lastProductionDeployAt?: string;
  /** Its age in days (one decimal). */
  lastProductionDeployAgeDays: number | null;
  /** The entity names a health URL for production. */
  healthProbeConfigured: boolean;
  /** The production health as last probed; `none` without a production state. */
  health: HealthState | 'none';
};

/** Response of `GET /v1/entity-facts`. @public */
export type EntityDeployFactsResponse = {
  environment: string;
  windowDays: number;
  from: string;
  to: string;
  /** Every deployable entity, by entity ref. */
  items: EntityDeployFacts[];
};

/** Response of `POST /v1/events`. @public */
export type IngestResult = {
  /** Events stored by this request; a repeated idempotency key is not stored again. */
  stored: number;
  duplicates: number;
};
