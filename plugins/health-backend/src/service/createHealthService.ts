import {
  AuthService,
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
  HealthOverview,
  Incident,
  MAX_SILENCE_DAYS,
  Reliability,
  ServiceHealth,
  UPTIME_OBJECTIVE,
  UPTIME_WINDOWS_DAYS,
} from '@platform-portal/backstage-plugin-health-common';
import { TrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import { IncidentStore } from '../database/IncidentStore';
import { labelsOf, rowToIncident } from '../database/rows';
import { createCachedValue } from './cachedValue';
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

/** How long the overview reuses its read of every Component. */
export const CATALOG_CACHE_TTL_MS = 60_000;
/**
 * How long it reuses the whole overview, firing alerts included (a webhook
 * post or a silence on this replica ends it at once); the entity's own
 * endpoints ask Alertmanager on every request.
 */
export const OVERVIEW_CACHE_TTL_MS = 10_000;
/**
 * How long past its TTL an expired overview or catalog read is served while
 * the next builds; older, the reader waits for a fresh one.
 */
export const MAX_STALE_MS = 60_000;

/** What the overview knows of a Component from the catalog alone. */
type ServiceBase = Pick<
  ServiceHealth,
  'entityRef' | 'title' | 'type' | 'owner' | 'system' | 'selector'
>;

/** Every Component, and the indexes of those with each `label=value` selector. */
type Components = {
  services: ServiceBase[];
  bySelector: Map<string, number[]>;
};

const selectorKey = (selector: AlertSelector) =>
  `${selector.label}=${selector.value}`;

/** The overview's view of one Component (its selector absent when malformed). */
function toServiceBase(entity: Entity): ServiceBase {
  let selector: AlertSelector | undefined;
  try {
    selector = alertSelectorOf(entity);
  } catch {
    selector = undefined;
  }
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  return {
    entityRef: stringifyEntityRef(entity),
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
    ...(typeof spec.owner === 'string'
      ? { owner: ownerRefOf(spec.owner, entity) }
      : {}),
    ...(typeof spec.system === 'string' ? { system: spec.system } : {}),
    ...(selector ? { selector } : {}),
  };
}

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
  /** The overview reads the catalog with the plugin's own credentials. */
  auth: AuthService;
  logger: LoggerService;
  trustedLocations: TrustedLocations;
  now?: () => Date;
}): HealthService {
  const { alertmanager, store, catalog, auth, logger, trustedLocations } =
    options;
  const now = options.now ?? (() => new Date());
  const objective = options.objective ?? UPTIME_OBJECTIVE;

  // Every Component, read once for all callers (as backup-status's
  // overview): health.read decides who sees the overview. An empty catalog
  // (a backend still reading its locations) is read again next time.
  const components = createCachedValue<Components>({
    ttlMs: CATALOG_CACHE_TTL_MS,
    maxStaleMs: MAX_STALE_MS,
    reuse: value => value.services.length > 0,
    onBackgroundError: error =>
      logger.warn(`Could not read the catalog for the overview: ${error}`),
    async load() {
      const { items } = await catalog.getEntities(
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
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const services = items.map(toServiceBase);
      const bySelector = new Map<string, number[]>();
      services.forEach((service, index) => {
        if (!service.selector) return;
        const key = selectorKey(service.selector);
        bySelector.set(key, [...(bySelector.get(key) ?? []), index]);
      });
      return { services, bySelector };
    },
  });

  // The 30-day reliability of every service with incidents, from one query
  // of the stored incidents, matched as alerts are (a label of the incident
  // equal to the service's selector).
  async function reliabilityByEntity({
    services,
    bySelector,
  }: Components): Promise<Map<string, Reliability>> {
    const at = now();
    const since = new Date(at.getTime() - RELIABILITY_WINDOW_DAYS * 86400_000);
    const incidents = new Map<number, Incident[]>();
    for (const row of await store.incidentsSince(since)) {
      const incident = rowToIncident(row);
      const matched = new Set<number>();
      for (const [label, value] of Object.entries(labelsOf(row))) {
        for (const index of bySelector.get(`${label}=${value}`) ?? []) {
          matched.add(index);
        }
      }
      for (const index of matched) {
        incidents.set(index, [...(incidents.get(index) ?? []), incident]);
      }
    }
    const result = new Map<string, Reliability>();
    for (const [index, list] of incidents) {
      result.set(
        services[index].entityRef,
        reliabilityOf(list, { windowDays: RELIABILITY_WINDOW_DAYS, now: at }),
      );
    }
    return result;
  }

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

  // The whole overview, every service with its firing alerts (one
  // Alertmanager call), the cached uptime and the 30-day reliability (one
  // query of the stored incidents). The
  // same object is served until it expires, so the router may keep its
  // serialized body.
  const overviews = createCachedValue<HealthOverview>({
    ttlMs: OVERVIEW_CACHE_TTL_MS,
    maxStaleMs: MAX_STALE_MS,
    // one built before the catalog was read (the start's warm-up on a new
    // catalog) is not served again
    reuse: value => value.services.length > 0,
    onBackgroundError: error =>
      logger.warn(`Could not build the health overview: ${error}`),
    async load() {
      const [estate, alerts, uptime] = await Promise.all([
        components.get(),
        alertmanager.allFiringAlerts(),
        options.uptime.all(),
      ]);
      const { services: bases, bySelector } = estate;
      const reliability = await reliabilityByEntity(estate);
      const noIncidents: Reliability = {
        windowDays: RELIABILITY_WINDOW_DAYS,
        incidents: 0,
      };
      const services: ServiceHealth[] = bases.map(base => ({
        ...base,
        firing: {},
        silenced: 0,
        windows: windowsOf(base.selector, uptime),
        reliability: reliability.get(base.entityRef) ?? noIncidents,
      }));
      let unmatchedFiring = 0;
      for (const alert of alerts) {
        const matched = new Set<number>();
        for (const [label, value] of Object.entries(alert.labels)) {
          for (const index of bySelector.get(`${label}=${value}`) ?? []) {
            matched.add(index);
          }
        }
        if (!matched.size) unmatchedFiring += 1;
        for (const index of matched) {
          const service = services[index];
          if (alert.silenced) service.silenced += 1;
          else {
            service.firing[alert.severity] =
              (service.firing[alert.severity] ?? 0) + 1;
          }
        }
      }
      return { services, unmatchedFiring, demo: options.demo };
    },
  });

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

    async overview(_credentials, query) {
      const overview = await overviews.get();
      const q = query?.q?.toLocaleLowerCase('en-US');
      if (!q) return overview;
      const matches = (service: ServiceHealth) =>
        [service.entityRef, service.title, service.owner, service.system].some(
          field => field?.toLocaleLowerCase('en-US').includes(q),
        );
      return { ...overview, services: overview.services.filter(matches) };
    },

    async warmOverview() {
      const started = Date.now();
      const overview = await overviews.get();
      return {
        services: overview.services.length,
        durationMs: Date.now() - started,
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
      overviews.invalidate();
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
      // the overview counts silenced alerts apart from firing ones
      overviews.invalidate();
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
