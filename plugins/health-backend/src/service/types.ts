import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AlertmanagerWebhook,
  AlertSelector,
  CreatedSilence,
  CreateSilenceRequest,
  FiringAlert,
  Incident,
  Reliability,
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
  /** Records one Alertmanager notification; how many alerts it carried. */
  recordNotification(notification: AlertmanagerWebhook): Promise<number>;
  /** Silences the entity's alerts in Alertmanager. */
  createSilence(
    entityRef: string,
    request: CreateSilenceRequest,
    options: { createdBy: string; credentials: BackstageCredentials },
  ): Promise<CreatedSilence>;
}
