import {
  DeploymentEventInput,
  EntityDeployFactsResponse,
  EntityDeploymentsResponse,
  IngestResult,
  MetricsResponse,
  OverviewQuery,
  OverviewResponse,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { IngestTarget } from '@platform-portal/backstage-plugin-platform-node';

/** A page of one entity's history, optionally of one environment. */
export interface HistoryQuery {
  environment?: string;
  limit: number;
  offset: number;
}

/** The scope and window of the deployment metrics. */
export interface MetricsQuery {
  /** One entity; else one system; else every entity. */
  entityRef?: string;
  system?: string;
  windowDays: number;
  /** The end of the window; default now. */
  now?: Date;
}

/** How a batch of events reached the service. */
export interface IngestOptions {
  /**
   * Who reported: `http:<subject>` (the credential of an HTTP report),
   * `github`, `demo`, ...; stored with each event. Idempotency keys are
   * scoped to it.
   */
  source: string;
  /**
   * Decides whether the reporter may report for these entities (each with
   * its owner, as the store or the catalog has it, and the field naming it),
   * before anything is stored; throws to refuse the whole batch, e.g. the
   * backend kit's `IngestScopes.assertMayReport`. Default: every entity
   * (sources that are not a caller's credential: the GitHub webhook, the demo).
   */
  authorize?: (targets: IngestTarget[]) => void | Promise<void>;
  /**
   * Where event `index` sits in the caller's document, for error messages:
   * `events[3]` for a batch. Default: none (a single event).
   */
  fieldPrefix?: (index: number) => string;
}

/**
 * The deployment status domain service behind the router, the deployment
 * sources and the demo feed.
 */
export interface DeploymentService {
  /** The configured environments, in promotion order. */
  readonly environments: string[];

  /**
   * Validates a batch against the environments and the catalog, authorizes
   * it (`options.authorize`) and stores it, all or nothing: an unknown
   * environment or an entity the catalog does not have throws `InputError`
   * naming the field; an entity the reporter may not report for, whatever
   * `authorize` throws (`NotAllowedError`). A key the source reported before
   * with the same content is not stored again (a duplicate); with other
   * content it throws `ConflictError` naming the key and the fields.
   */
  ingest(
    inputs: DeploymentEventInput[],
    options: IngestOptions,
  ): Promise<IngestResult>;

  /** One page of entities with their state in every environment. */
  overview(query: OverviewQuery): Promise<OverviewResponse>;

  /**
   * The states and a page of history of one entity; `NotFoundError` when it
   * is not a deployable entity.
   */
  entity(
    entityRef: string,
    history: HistoryQuery,
  ): Promise<EntityDeploymentsResponse>;

  /** DORA-style figures of a window against the estate's targets. */
  metrics(query: MetricsQuery): Promise<MetricsResponse>;

  /**
   * Computes the whole estate's metrics of each window now and keeps them
   * for the requests to come (see `MetricsWarmUp`).
   */
  warmMetrics(windows: number[]): Promise<{ durationMs: number }>;

  /**
   * The production figures of every deployable entity over a window, from
   * one query of the store (what scorecards check; no per-entity calls).
   */
  entityFacts(query: {
    windowDays: number;
    now?: Date;
  }): Promise<EntityDeployFactsResponse>;
}
