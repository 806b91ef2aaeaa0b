import {
  EntityReadiness,
  ReadinessOverview,
  ReadinessTrend,
} from '@platform-portal/backstage-plugin-readiness-common';
import { TechInsightsCheckResult } from '../domain/interpret';

/** An entity the checks run for, as the catalog has it. */
export interface ReadinessEntity {
  /** `component:default/chat-backend`, as `stringifyEntityRef` writes it. */
  entityRef: string;
  title?: string;
  system?: string;
  /** The owner's entity ref (`group:default/chat-team`). */
  owner?: string;
}

/** The entities readiness is about: every Component of the catalog. */
export interface ReadinessEntitySource {
  listEntities(): Promise<ReadinessEntity[]>;
}

/** One entity's answer of a bulk run: its check results, or why there are none. */
export type EntityCheckAnswer =
  | { results: TechInsightsCheckResult[] }
  | { error: string };

/** Runs checks for many entities at once (tech-insights' bulk run). */
export interface ChecksRunner {
  runChecks(
    entityRefs: string[],
    checkIds: string[],
  ): Promise<Map<string, EntityCheckAnswer>>;
}

/** A service that dropped a level in a run. */
export interface LevelDrop {
  entity: ReadinessEntity;
  from: string | null;
  to: string | null;
}

/** Tells owners that a service dropped a level. */
export interface LevelDropNotifier {
  notifyDrops(drops: LevelDrop[]): Promise<void>;
}

/** What one evaluation run did. */
export interface EvaluationSummary {
  entities: number;
  evaluatedAt: string;
  /** Entities per level (`none` included). */
  distribution: Record<string, number>;
  drops: number;
  durationMs: number;
}

/** The readiness domain service behind the router and the scheduled task. */
export interface ReadinessService {
  /**
   * Runs every configured check for every entity through tech-insights (in
   * bulk), computes each entity's level, stores the results and today's
   * history row, and tells the owners of services that dropped a level.
   */
  evaluate(options?: { signal?: AbortSignal }): Promise<EvaluationSummary>;
  /** The latest evaluation of one entity; `NotFoundError` when never evaluated. */
  entity(entityRef: string): Promise<EntityReadiness>;
  /** Every entity's level and failing checks, from one query of the store. */
  overview(): Promise<ReadinessOverview>;
  /** Entities per level per day over the last `days` days. */
  trend(days: number): Promise<ReadinessTrend>;
}
