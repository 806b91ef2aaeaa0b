import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AlertmanagerWebhook,
  AlertSelector,
  CreatedSilence,
  CreateSilenceRequest,
  FiringAlert,
  Incident,
  Reliability,
  EntityUptime,
  HealthOverview,
  OverviewQuery,
} from '@platform-portal/backstage-plugin-health-common';

/** What the health API does; the router validates and authorizes first. */
export interface HealthService {
  /** The entity's firing alerts, by its alert selector. */
  alertsOf(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ selector: AlertSelector; alerts: FiringAlert[] }>;
  /** The entity's incidents over the window and its MTTR and MTBF. */
  incidentsOf(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{
    selector: AlertSelector;
    incidents: Incident[];
    reliability: Reliability;
  }>;
  /** The entity's uptime over 7 and 30 days against the objective. */
  uptimeOf(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityUptime>;
  /**
   * Every Component (those matching `q`): SLO, firing alerts, MTTR and
   * MTBF. The catalog and the incidents are read for all callers and
   * reused (see createHealthService); the router has checked `health.read`.
   */
  overview(
    credentials: BackstageCredentials,
    query?: OverviewQuery,
  ): Promise<HealthOverview>;
  /**
   * Builds the overview now, ahead of the first request (the start's
   * warm-up): the catalog read and the uptime queries no request waits for.
   */
  warmOverview(): Promise<{ services: number; durationMs: number }>;
  /** Records one Alertmanager notification; how many alerts it carried. */
  recordNotification(notification: AlertmanagerWebhook): Promise<number>;
  /** Silences the entity's alerts in Alertmanager. */
  createSilence(
    entityRef: string,
    request: CreateSilenceRequest,
    options: { createdBy: string; credentials: BackstageCredentials },
  ): Promise<CreatedSilence>;
}

/** A matcher of Alertmanager's API v2 (always an exact match here). */
export type SilenceMatcher = {
  name: string;
  value: string;
  isRegex: false;
  isEqual: true;
};

/** Where firing alerts come from and silences go: Alertmanager, or the demo. */
export interface AlertSource {
  firingAlerts(selector: AlertSelector): Promise<FiringAlert[]>;
  /** Every firing alert of the estate, in one call. */
  allFiringAlerts(): Promise<FiringAlert[]>;
  /** Creates a silence; resolves with its id. */
  createSilence(silence: {
    matchers: SilenceMatcher[];
    startsAt: string;
    endsAt: string;
    createdBy: string;
    comment: string;
  }): Promise<string>;
}
