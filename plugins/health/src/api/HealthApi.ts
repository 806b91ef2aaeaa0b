import { createApiRef } from '@backstage/core-plugin-api';
import {
  AlertSelector,
  CreatedSilence,
  CreateSilenceRequest,
  EntityUptime,
  FiringAlert,
  HealthOverview,
  Incident,
  Reliability,
} from '@platform-portal/backstage-plugin-health-common';

/** `GET /v1/entities/:kind/:namespace/:name/alerts`. @public */
export type EntityAlerts = { selector: AlertSelector; alerts: FiringAlert[] };

/** `GET /v1/entities/:kind/:namespace/:name/incidents`. @public */
export type EntityIncidents = {
  selector: AlertSelector;
  incidents: Incident[];
  reliability: Reliability;
};

/**
 * Client of the health backend (`/api/health`), with the signed-in user's
 * credentials.
 *
 * @public
 */
export interface HealthApi {
  /** The entity's firing alerts from Alertmanager (or the demo). */
  getAlerts(entityRef: string): Promise<EntityAlerts>;
  /** The entity's incidents of the last 30 days with MTTR and MTBF. */
  getIncidents(entityRef: string): Promise<EntityIncidents>;
  /** The entity's uptime over 7 and 30 days against the 99.9 % objective. */
  getUptime(entityRef: string): Promise<EntityUptime>;
  /** `GET /v1/overview?q=`: every service's SLO, firing alerts, MTTR. */
  getOverview(options?: { q?: string }): Promise<HealthOverview>;
  /** Silences the entity's alerts (`health.silence.create` on it). */
  createSilence(
    entityRef: string,
    request: CreateSilenceRequest,
  ): Promise<CreatedSilence>;
}

/** Reference to the {@link HealthApi}. @public */
export const healthApiRef = createApiRef<HealthApi>({
  id: 'plugin.health.api',
});
