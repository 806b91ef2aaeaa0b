import { createApiRef } from '@backstage/core-plugin-api';
import { EntityBackupDetails } from '@platform-portal/backstage-plugin-backup-status-common';
import { EntityDeploymentsResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  EntityUptime,
  FiringAlert,
} from '@platform-portal/backstage-plugin-health-common';
import {
  EntityReadiness,
  ReadinessEntitiesPage,
  ReadinessEntitiesQuery,
  ReadinessOverview,
  ReadinessSummary,
  ReadinessTrend,
} from '@platform-portal/backstage-plugin-readiness-common';

/**
 * What the Status card shows of the health backend: the entity's firing
 * alerts and its uptime (`GET /api/health/v1/entities/.../alerts` and
 * `.../uptime`).
 *
 * @public
 */
export type EntityHealthSummary = {
  alerts: FiringAlert[];
  uptime: EntityUptime;
};

/**
 * Client of the readiness backend, and of the two backends whose status the
 * Status card puts side by side (platform-deploy and backup-status): the card
 * reads them through this one API so that the plugin works without their
 * frontend plugins installed.
 *
 * @public
 */
export interface ReadinessApi {
  /**
   * `GET /api/readiness/v1/entities/:kind/:namespace/:name`: the entity's
   * level and every check's result. Rejects with a `ResponseError` of status
   * 404 when the entity was never evaluated.
   */
  getEntityReadiness(entityRef: string): Promise<EntityReadiness>;
  /** `GET /api/readiness/v1/overview`: every evaluated entity's level. */
  getOverview(): Promise<ReadinessOverview>;
  /**
   * `GET /api/readiness/v1/summary`: the distribution, the heatmaps by
   * system and by team and the checks that fail most, without the entities.
   */
  getSummary(): Promise<ReadinessSummary>;
  /**
   * `GET /api/readiness/v1/entities?...`: one page of the evaluated
   * entities, filtered by the backend (`limit` and `offset` default to 50
   * and 0).
   */
  getEntities(
    query: Partial<ReadinessEntitiesQuery>,
  ): Promise<ReadinessEntitiesPage>;
  /** `GET /api/readiness/v1/overview.csv`: the overview as CSV text. */
  getOverviewCsv(): Promise<string>;
  /** `GET /api/readiness/v1/trend?days=N`: counts per level for each of the last N days. */
  getTrend(days: number): Promise<ReadinessTrend>;
  /**
   * `GET /api/platform-deploy/v1/entities/:kind/:namespace/:name?environment=production&limit=1`:
   * the service's state in each environment and its last production deploy.
   * Resolves `undefined` when platform-deploy does not know the entity (404).
   */
  getDeployments(
    entityRef: string,
  ): Promise<EntityDeploymentsResponse | undefined>;
  /**
   * `GET /api/backup-status/v1/entities/:kind/:namespace/:name?limit=1`: the
   * entity's backup policy and status. Resolves `undefined` when backup-status
   * does not know the entity (404).
   */
  getBackups(entityRef: string): Promise<EntityBackupDetails | undefined>;
  /**
   * The entity's firing alerts and uptime from the health backend. Resolves
   * `undefined` when the health backend is not installed or does not know
   * the entity (404).
   */
  getHealth(entityRef: string): Promise<EntityHealthSummary | undefined>;
}

/**
 * Reference to the {@link ReadinessApi}.
 *
 * @public
 */
export const readinessApiRef = createApiRef<ReadinessApi>({
  id: 'plugin.readiness.api',
});
