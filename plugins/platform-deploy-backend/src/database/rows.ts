import {
  DeploymentColor,
  DeploymentEvent,
  DeploymentStatus,
  EnvironmentState,
  HealthState,
  isHttpUrl,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  DeployableEntity,
  EventContent,
  NewDeploymentEvent,
  StateRecord,
  eventTime,
} from '../types';

/**
 * The three tables of the plugin (see `migrations/`): one row interface each,
 * as the drivers return them, and ONE mapper each from a row to what the
 * rest of the plugin reads. PostgreSQL returns timestamps as `Date`, bigint
 * ids and counts as strings, booleans as booleans; SQLite returns the
 * millisecond numbers or strings that were written, and booleans as 0/1.
 */

/** A timestamp column as either driver returns it. */
export type DbTime = Date | string | number;

/** A row of `deploy_events`: append-only, one per reported event. */
export interface EventRow {
  id: number | string;
  idempotency_key: string;
  entity_ref: string;
  environment: string;
  version: string;
  status: string;
  color: string | null;
  commit_sha: string | null;
  commit_timestamp: DbTime | null;
  started_at: DbTime | null;
  finished_at: DbTime | null;
  /** When the event happened (see `eventTime`): what history and metrics sort and filter on. */
  event_at: DbTime;
  run_url: string | null;
  actor: string | null;
  source: string;
  received_at: DbTime;
}

/** A row of `deploy_state`: the current state of one entity in one environment. */
export interface StateRow {
  entity_ref: string;
  environment: string;
  version: string | null;
  previous_version: string | null;
  live_color: string | null;
  last_status: string;
  last_version: string;
  last_event_at: DbTime;
  deployed_at: DbTime | null;
  deployed_by: string | null;
  run_url: string | null;
  health: string;
  health_failures: number | string;
  health_status_code: number | null;
  health_latency_ms: number | null;
  health_checked_at: DbTime | null;
  demo: boolean | number;
}

/** A row of `deploy_entities`: the catalog metadata of a deployable entity. */
export interface EntityRow {
  entity_ref: string;
  name: string;
  title: string | null;
  system: string | null;
  owner: string | null;
  type: string | null;
  /** JSON array of environment names. */
  environments: string;
  /** JSON object, environment name to health URL. */
  health_urls: string;
  synced_at: DbTime;
  /** From a trusted catalog location (migration 20261202091000). */
  trusted: boolean | number;
}

const toDate = (value: DbTime): Date => new Date(value);
const toIso = (value: DbTime): string => toDate(value).toISOString();
const optionalIso = (value: DbTime | null): string | undefined =>
  value === null ? undefined : toIso(value);
const optional = <T>(value: T | null): T | undefined => value ?? undefined;
/**
 * A stored run URL, if it is http(s): rows written before the schema
 * refused other schemes (`javascript:`) never reach a page.
 */
const httpUrl = (value: string | null): string | undefined =>
  isHttpUrl(value) ? value : undefined;

/** The one place an event row becomes an event. */
export function rowToEvent(row: EventRow): DeploymentEvent {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    status: row.status as DeploymentStatus,
    idempotencyKey: row.idempotency_key,
    commitSha: optional(row.commit_sha),
    commitTimestamp: optionalIso(row.commit_timestamp),
    color: optional(row.color) as DeploymentColor | undefined,
    startedAt: optionalIso(row.started_at),
    finishedAt: optionalIso(row.finished_at),
    runUrl: httpUrl(row.run_url),
    actor: optional(row.actor),
    source: row.source,
    receivedAt: toIso(row.received_at),
  };
}

export function eventToRow(event: NewDeploymentEvent): Omit<EventRow, 'id'> {
  return {
    idempotency_key: event.idempotencyKey,
    entity_ref: event.entityRef,
    environment: event.environment,
    version: event.version,
    status: event.status,
    color: event.color ?? null,
    commit_sha: event.commitSha ?? null,
    commit_timestamp: event.commitTimestamp ?? null,
    started_at: event.startedAt ?? null,
    finished_at: event.finishedAt ?? null,
    event_at: eventTime(event),
    run_url: event.runUrl ?? null,
    actor: event.actor ?? null,
    source: event.source,
    received_at: event.receivedAt,
  };
}

/** The columns of a state row that the overview and the entity page read. */
export type StateColumns = Omit<StateRow, 'entity_ref' | 'health_failures'>;

/** The one place a state row becomes an environment's state. */
export function rowToState(row: StateColumns): EnvironmentState {
  return {
    environment: row.environment,
    version: optional(row.version),
    previousVersion: optional(row.previous_version),
    liveColor: optional(row.live_color) as DeploymentColor | undefined,
    lastStatus: row.last_status as DeploymentStatus,
    lastVersion: row.last_version,
    lastEventAt: toIso(row.last_event_at),
    deployedAt: optionalIso(row.deployed_at),
    deployedBy: optional(row.deployed_by),
    runUrl: httpUrl(row.run_url),
    health: (row.health ?? 'unknown') as HealthState,
    healthCheckedAt: optionalIso(row.health_checked_at),
    healthStatusCode: optional(row.health_status_code),
    healthLatencyMs: optional(row.health_latency_ms),
    demo: Boolean(row.demo),
  };
}

/** The deployment columns of a state row, as `applyEvent` returns them. */
export function stateRecordToRow(
  state: StateRecord,
): Pick<
  StateRow,
  | 'version'
  | 'previous_version'
  | 'live_color'
  | 'last_status'
  | 'last_version'
  | 'last_event_at'
  | 'deployed_at'
  | 'deployed_by'
  | 'run_url'
> {
  return {
    version: state.version ?? null,
    previous_version: state.previousVersion ?? null,
    live_color: state.liveColor ?? null,
    last_status: state.lastStatus,
    last_version: state.lastVersion,
    last_event_at: state.lastEventAt,
    deployed_at: state.deployedAt ?? null,
    deployed_by: state.deployedBy ?? null,
    run_url: state.runUrl ?? null,
  };
}

/** The one place an entity row becomes a deployable entity. */
export function rowToEntity(row: EntityRow): DeployableEntity {
  return {
    entityRef: row.entity_ref,
    name: row.name,
    title: optional(row.title),
    system: optional(row.system),
    owner: optional(row.owner),
    type: optional(row.type),
    environments: JSON.parse(row.environments),
    healthUrls: JSON.parse(row.health_urls),
    trusted: Boolean(row.trusted),
  };
}

export function entityToRow(
  entity: DeployableEntity,
  syncedAt: Date,
): EntityRow {
  return {
    entity_ref: entity.entityRef,
    name: entity.name,
    title: entity.title ?? null,
    system: entity.system ?? null,
    owner: entity.owner ?? null,
    type: entity.type ?? null,
    environments: JSON.stringify(entity.environments),
    health_urls: JSON.stringify(entity.healthUrls),
    synced_at: syncedAt,
    trusted: entity.trusted,
  };
}

/** What `applyEvent` folds into: the deployment part of a state, dates as Date. */
export function toStateRecord(state: EnvironmentState): StateRecord {
  return {
    version: state.version,
    previousVersion: state.previousVersion,
    liveColor: state.liveColor,
    lastStatus: state.lastStatus,
    lastVersion: state.lastVersion,
    lastEventAt: new Date(state.lastEventAt),
    deployedAt: state.deployedAt ? new Date(state.deployedAt) : undefined,
    deployedBy: state.deployedBy,
    runUrl: state.runUrl,
  };
}

/**
 * The content an idempotency key stands for (see `EventContent`), of an
 * event about to be stored or of a stored row: the one place both are
 * normalized the same way, so that they compare equal exactly when the same
 * event was reported again.
 */
export function eventContent(
  event: NewDeploymentEvent | Omit<EventRow, 'id'>,
): EventContent {
  const row = 'idempotency_key' in event ? event : eventToRow(event);
  return {
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    status: row.status,
    color: row.color,
    commitSha: row.commit_sha,
    runUrl: row.run_url,
    actor: row.actor,
  };
}

/** The fields in which two contents differ, in the order of `EventContent`. */
export function contentDifference(
  a: EventContent,
  b: EventContent,
): Array<keyof EventContent> {
  return (Object.keys(a) as Array<keyof EventContent>).filter(
    key => a[key] !== b[key],
  );
}
