import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AlertSelector,
  alertSelectorOf,
  Incident,
  MAX_SILENCE_DAYS,
  ServiceHealth,
  UPTIME_OBJECTIVE,
  UPTIME_WINDOWS_DAYS,
} from '@platform-portal/backstage-plugin-health-common';
import { TrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import { IncidentStore } from '../database/IncidentStore';
import { labelsOf, rowToIncident } from '../database/rows';
import { reliabilityOf } from './reliability';
import { AlertSource, HealthService } from './types';
import { CachedUptime, uptimeWindow } from './uptime';

/**
 * `spec.owner` as a full entity ref: the catalog accepts the short form
 * (`chat-team`, a Group in the entity's namespace), the frontend's
 * EntityRefLink does not (it threw for every short owner on /platform/health).
 */
function ownerRefOf(owner: string, entity: Entity): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return owner;
  }
}

/** The window of incidents, MTTR and MTBF. */
export const RELIABILITY_WINDOW_DAYS = 30;

export function createHealthService(options: {
  alertmanager: AlertSource;
  store: IncidentStore;
  uptime: CachedUptime;
  /** The label the uptime query groups by (`service`). */
  uptimeLabel: string;
  /** Default 0.999. */
  objective?: number;
  /** Whether alerts and uptime are the demo's. */
  demo: boolean;
  catalog: CatalogService;
  logger: LoggerService;
  trustedLocations: TrustedLocations;
  now?: () => Date;
}): HealthService {
  const { alertmanager, store, catalog, logger, trustedLocations } = options;
  const now = options.now ?? (() => new Date());
  const objective = options.objective ?? UPTIME_OBJECTIVE;

  /** A selector's windows from the estate's cached uptime. */
  const windowsOf = (
    selector: AlertSelector | undefined,
    uptime: Record<number, Record<string, number>>,
  ) =>
    UPTIME_WINDOWS_DAYS.map(days =>
      uptimeWindow(
        days,
        selector?.label === options.uptimeLabel
          ? uptime[days]?.[selector.value]
          : undefined,
        objective,
      ),
    );

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

    async uptimeOf(ref, credentials) {
      const { selector } = await entityOf(ref, credentials);
      return {
        selector,
        windows: windowsOf(selector, await options.uptime.all()),
        demo: options.demo,
      };
    },

    async overview(credentials, query) {
      const at = now();
      const since = new Date(
        at.getTime() - RELIABILITY_WINDOW_DAYS * 86400_000,
      );
      const [{ items }, alerts, uptime, incidentRows] = await Promise.all([
        catalog.getEntities(
          {
            filter: { kind: 'Component' },
            fields: [
              'kind',
              'metadata.name',
              'metadata.namespace',
              'metadata.title',
              'metadata.annotations',
              'spec.type',
              'spec.owner',
              'spec.system',
            ],
          },
          { credentials },
        ),
        alertmanager.allFiringAlerts(),
        options.uptime.all(),
        store.incidentsSince(since),
      ]);
      const services: ServiceHealth[] = [];
      const bySelector = new Map<string, ServiceHealth[]>();
      for (const entity of items) {
        let selector: AlertSelector | undefined;
        try {
          selector = alertSelectorOf(entity);
        } catch {
          selector = undefined;
        }
        const spec = (entity.spec ?? {}) as Record<string, unknown>;
        const service: ServiceHealth = {
          entityRef: stringifyEntityRef(entity),
          ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
          ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
          ...(typeof spec.owner === 'string'
            ? { owner: ownerRefOf(spec.owner, entity) }
            : {}),
          ...(typeof spec.system === 'string' ? { system: spec.system } : {}),
          ...(selector ? { selector } : {}),
          firing: {},
          silenced: 0,
          windows: windowsOf(selector, uptime),
          reliability: {
            windowDays: RELIABILITY_WINDOW_DAYS,
            incidents: 0,
          },
        };
        services.push(service);
        if (selector) {
          const key = `${selector.label}=${selector.value}`;
          bySelector.set(key, [...(bySelector.get(key) ?? []), service]);
        }
      }
      let unmatchedFiring = 0;
      for (const alert of alerts) {
        const matched = new Set<ServiceHealth>();
        for (const [label, value] of Object.entries(alert.labels)) {
          for (const service of bySelector.get(`${label}=${value}`) ?? []) {
            matched.add(service);
          }
        }
        if (!matched.size) unmatchedFiring += 1;
        for (const service of matched) {
          if (alert.silenced) service.silenced += 1;
          else {
            service.firing[alert.severity] =
              (service.firing[alert.severity] ?? 0) + 1;
          }
        }
      }
      // The stored incidents of each service, matched as its alerts are.
      const incidents = new Map<ServiceHealth, Incident[]>();
      for (const row of incidentRows) {
        const incident = rowToIncident(row);
        for (const [label, value] of Object.entries(labelsOf(row))) {
          for (const service of bySelector.get(`${label}=${value}`) ?? []) {
            incidents.set(service, [
              ...(incidents.get(service) ?? []),
              incident,
            ]);
          }
        }
      }
      for (const [service, list] of incidents) {
        service.reliability = reliabilityOf(list, {
          windowDays: RELIABILITY_WINDOW_DAYS,
          now: at,
        });
      }
      const q = query?.q?.toLocaleLowerCase('en-US');
      const matches = (service: ServiceHealth) =>
        [service.entityRef, service.title, service.owner, service.system].some(
          field => field?.toLocaleLowerCase('en-US').includes(q!),
        );
      return {
        services: q ? services.filter(matches) : services,
        unmatchedFiring,
        demo: options.demo,
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
