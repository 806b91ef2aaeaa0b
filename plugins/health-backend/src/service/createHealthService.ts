import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  alertSelectorOf,
  MAX_SILENCE_DAYS,
} from '@platform-portal/backstage-plugin-health-common';
import { TrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import { IncidentStore } from '../database/IncidentStore';
import { rowToIncident } from '../database/rows';
import { AlertmanagerClient } from './AlertmanagerClient';
import { reliabilityOf } from './reliability';
import { HealthService } from './types';

/** The window of incidents, MTTR and MTBF. */
export const RELIABILITY_WINDOW_DAYS = 30;

export function createHealthService(options: {
  alertmanager: AlertmanagerClient;
  store: IncidentStore;
  catalog: CatalogService;
  logger: LoggerService;
  trustedLocations: TrustedLocations;
  now?: () => Date;
}): HealthService {
  const { alertmanager, store, catalog, logger, trustedLocations } = options;
  const now = options.now ?? (() => new Date());

  /** The entity as the caller may read it, and its selector. */
  async function entityOf(ref: string, credentials: BackstageCredentials) {
    const entity: Entity | undefined = await catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`No entity ${ref}`);
    try {
      return { entity, selector: alertSelectorOf(entity) };
    } catch (error) {
      throw new InputError(`${ref}: ${(error as Error).message}`);
    }
  }

  return {
    async alertsOf(ref, credentials) {
      const { selector } = await entityOf(ref, credentials);
      return { selector, alerts: await alertmanager.firingAlerts(selector) };
    },

    async incidentsOf(ref, credentials) {
      const { selector } = await entityOf(ref, credentials);
      const at = now();
      const since = new Date(
        at.getTime() - RELIABILITY_WINDOW_DAYS * 86400_000,
      );
      const incidents = (await store.incidentsOf(selector, since)).map(
        rowToIncident,
      );
      return {
        selector,
        incidents,
        reliability: reliabilityOf(incidents, {
          windowDays: RELIABILITY_WINDOW_DAYS,
          now: at,
        }),
      };
    },

    async recordNotification(notification) {
      for (const alert of notification.alerts) {
        const resolved = alert.status === 'resolved';
        await store.record({
          fingerprint: alert.fingerprint,
          startedAt: new Date(alert.startsAt),
          endedAt: resolved ? new Date(alert.endsAt) : undefined,
          alertname: alert.labels.alertname ?? 'unknown',
          severity: alert.labels.severity ?? 'none',
          summary: alert.annotations.summary,
          labels: alert.labels,
        });
      }
      return notification.alerts.length;
    },

    async createSilence(ref, request, { createdBy, credentials }) {
      const { entity, selector } = await entityOf(ref, credentials);
      // An entity anyone registered could name another service's label.
      if (!trustedLocations.isTrusted(entity)) {
        throw new NotAllowedError(
          `${ref} is not from a trusted location; its alerts are silenced in Alertmanager directly`,
        );
      }
      const endsAt = new Date(request.endsAt);
      const at = now();
      if (endsAt.getTime() <= at.getTime()) {
        throw new InputError('endsAt: must be in the future');
      }
      if (endsAt.getTime() - at.getTime() > MAX_SILENCE_DAYS * 86400_000) {
        throw new InputError(
          `endsAt: a silence lasts at most ${MAX_SILENCE_DAYS} days`,
        );
      }
      const matchers = [
        {
          name: selector.label,
          value: selector.value,
          isRegex: false as const,
          isEqual: true as const,
        },
      ];
      const comment = `${request.reason} (from the portal, for ${ref})`;
      const silenceId = await alertmanager.createSilence({
        matchers,
        startsAt: at.toISOString(),
        endsAt: endsAt.toISOString(),
        createdBy,
        comment,
      });
      logger.info(
        `Silenced the alerts of ${ref} until ${endsAt.toISOString()}`,
        {
          silenceId,
          createdBy,
        },
      );
      return {
        silenceId,
        matchers,
        endsAt: endsAt.toISOString(),
        createdBy,
        comment,
      };
    },
  };
}
