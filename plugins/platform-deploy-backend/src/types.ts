import {
  DeploymentColor,
  DeploymentStatus,
  HealthState,
} from '@platform-portal/backstage-plugin-platform-deploy-common';

/**
 * Types shared by the store (`database/`), the domain rules (`domain/`) and
 * the services (`service/`). They live here so that the store imports no
 * service and the services import the store, never the other way round.
 */

/** An event ready to store: validated, with its times parsed. */
export type NewDeploymentEvent = {
  entityRef: string;
  environment: string;
  version: string;
  status: DeploymentStatus;
  idempotencyKey: string;
  commitSha?: string;
  commitTimestamp?: Date;
  color?: DeploymentColor;
  startedAt?: Date;
  finishedAt?: Date;
  runUrl?: string;
  actor?: string;
  source: string;
  receivedAt: Date;
};

/**
 * What storing a batch did: the events newly stored, and how many were known
 * (the same key from the same source with the same content); or, when a
 * known key came back with other content, that conflict, and nothing stored.
 */
export type StoredEventResult =
  | { stored: NewDeploymentEvent[]; duplicates: number }
  | { conflict: IdempotencyConflict };

/**
 * An idempotency key that came back from the same source with other
 * content: the event's index in the batch and the fields that differ.
 */
export type IdempotencyConflict = {
  index: number;
  idempotencyKey: string;
  fields: Array<keyof EventContent>;
};

/**
 * The content an idempotency key stands for: what was deployed where, with
 * what outcome, by whom, from which commit (the entity ref in lower case, as
 * stored). Two reports with the same key (from the same source) and the
 * same content are one event, reported again. Times are not content: a
 * retried CI step reads its clock again (`scripts/report-deploy` defaults
 * `finishedAt` to now), and the first report's times stay. Neither are the
 * source (the scope of the key), the arrival time and the key itself.
 */
export type EventContent = {
  entityRef: string;
  environment: string;
  version: string;
  status: string;
  color: string | null;
  commitSha: string | null;
  runUrl: string | null;
  actor: string | null;
};

/** Catalog metadata of a deployable entity, as the store keeps it. */
export type DeployableEntity = {
  /** Lower-case `kind:namespace/name`, as `stringifyEntityRef` writes it. */
  entityRef: string;
  name: string;
  title?: string;
  system?: string;
  owner?: string;
  type?: string;
  environments: string[];
  healthUrls: Record<string, string>;
  /**
   * Whether the entity comes from a trusted catalog location (the backend
   * kit's `readTrustedLocations`): only those are health-probed.
   */
  trusted: boolean;
};

/**
 * The deployment part of the state of one entity in one environment (dates
 * as Date): what `applyEvent` folds events into.
 */
export type StateRecord = {
  version?: string;
  previousVersion?: string;
  liveColor?: DeploymentColor;
  lastStatus: DeploymentStatus;
  lastVersion: string;
  lastEventAt: Date;
  deployedAt?: Date;
  deployedBy?: string;
  runUrl?: string;
};

/** The health part of the state of one entity in one environment. */
export type ProbeHealth = {
  health: HealthState;
  /** Failed probes in a row since the last successful one. */
  consecutiveFailures: number;
};

/**
 * What the metrics read of a window's terminal production events, aggregated
 * in SQL (`DeploymentStore.metricsAggregates`): counts, the few quantiles the
 * figures need, and counts per day. Its size does not grow with the events.
 */
export type MetricsAggregates = {
  /** Terminal events (not `started`). */
  terminal: number;
  succeeded: number;
  /** `failed` and `rolled_back`. */
  failures: number;
  /** Median and 90th percentile (nearest rank) of `finishedAt - startedAt`, in seconds. */
  durationSeconds: { p50: number | null; p90: number | null };
  /** Median of succeeded events' end minus their commit time, in seconds. */
  leadTimeSeconds: { p50: number | null };
  /** Median time from a failure to the next success of the same entity, in seconds. */
  timeToRestoreSeconds: { p50: number | null };
  /** Terminal events per UTC day (`day`: midnight of that day). */
  daily: Array<{ day: Date; succeeded: number; failed: number }>;
};

/** When an event happened: its end, else its start, else its arrival. */
export const eventTime = (e: NewDeploymentEvent): Date =>
  e.finishedAt ?? e.startedAt ?? e.receivedAt;

/**
 * One deployable entity's production figures over a window, aggregated in
 * SQL for every entity at once (`DeploymentStore.entityFactsAggregates`).
 */
export type EntityFactsAggregate = {
  entityRef: string;
  /** The entity deploys to the environment. */
  inEnvironment: boolean;
  /** The Component's `spec.type`. */
  type?: string;
  /** Terminal events (not `started`) in the window. */
  terminal: number;
  succeeded: number;
  /** `failed` and `rolled_back`. */
  failures: number;
  /** Nearest-rank 90th percentile of `finishedAt - startedAt`, in seconds. */
  p90DurationSeconds: number | null;
  /** Median time from a failure to the next success, in seconds. */
  timeToRestoreSeconds: number | null;
  /** When the current version was deployed in the environment. */
  deployedAt?: Date;
  /** Health of the environment's state; undefined without a state. */
  health?: HealthState;
  /** The entity names a health URL for the environment. */
  healthUrlConfigured: boolean;
};
