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

/** What storing a batch did: the events newly stored, and how many were known. */
export type StoredEventResult = {
  stored: NewDeploymentEvent[];
  duplicates: number;
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

/** The fields of a stored event that the metrics read. */
export type MetricsEvent = {
  entityRef: string;
  environment: string;
  status: string;
  eventAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  commitTimestamp?: Date;
};

/** When an event happened: its end, else its start, else its arrival. */
export const eventTime = (e: NewDeploymentEvent): Date =>
  e.finishedAt ?? e.startedAt ?? e.receivedAt;
