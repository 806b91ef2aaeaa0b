import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AlertSelector,
  alertmanagerWebhookSchema,
  alertSelectorOf,
  FiringAlert,
} from '@platform-portal/backstage-plugin-health-common';
import { parseOrThrow } from '@platform-portal/backstage-plugin-platform-node';
import { randomUUID } from 'node:crypto';
import { IncidentStore } from '../database/IncidentStore';
import { labelsOf } from '../database/rows';
import { AlertSource, HealthService, SilenceMatcher } from '../service/types';
import { UptimeSource } from '../service/uptime';
import { demoNotifications, demoRunbookOf } from './demoNotifications';

/**
 * The embedded default's monitoring, without a Prometheus or Alertmanager:
 * the demo's incidents go through the webhook's path (schema, then
 * `recordNotification`) into the store; firing alerts are the open ones,
 * uptime is the time outside ServiceDown incidents, silences stay in
 * memory. Nothing is called over the network.
 */
export class DemoMonitoring implements AlertSource, UptimeSource {
  readonly id = 'demo';
  private readonly silences: { matchers: SilenceMatcher[]; endsAt: number }[] =
    [];
  /** The services the demo covers (the catalog's Components at the last feed). */
  private services = new Set<string>();

  constructor(
    private readonly options: {
      store: IncidentStore;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Feeds the demo through the webhook's path when the store has no
   * incidents; remembers the services either way. How many notifications.
   */
  async feed(
    services: string[],
    health: Pick<HealthService, 'recordNotification'>,
  ): Promise<number> {
    this.services = new Set(services);
    if ((await this.options.store.count()) > 0) return 0;
    const notifications = demoNotifications(services, this.now());
    for (const notification of notifications) {
      await health.recordNotification(
        parseOrThrow(alertmanagerWebhookSchema, notification),
      );
    }
    return notifications.length;
  }

  private silenced(labels: Record<string, string>) {
    const at = this.now().getTime();
    return this.silences.some(
      s => s.endsAt > at && s.matchers.every(m => labels[m.name] === m.value),
    );
  }

  async allFiringAlerts(): Promise<FiringAlert[]> {
    const rows = await this.options.store.openIncidents();
    return rows.map(row => {
      const labels = labelsOf(row);
      const runbookUrl = demoRunbookOf(row.alertname);
      return {
        fingerprint: row.fingerprint,
        alertname: row.alertname,
        severity: row.severity,
        since: new Date(row.started_at).toISOString(),
        ...(row.summary ? { summary: row.summary } : {}),
        ...(runbookUrl ? { runbookUrl } : {}),
        silenced: this.silenced(labels),
        labels,
      };
    });
  }

  async firingAlerts(selector: AlertSelector): Promise<FiringAlert[]> {
    return (await this.allFiringAlerts()).filter(
      a => a.labels[selector.label] === selector.value,
    );
  }

  async createSilence(silence: {
    matchers: SilenceMatcher[];
    endsAt: string;
  }): Promise<string> {
    this.silences.push({
      matchers: silence.matchers,
      endsAt: Date.parse(silence.endsAt),
    });
    return `demo-${randomUUID()}`;
  }

  async uptimeByService(windowDays: number): Promise<Record<string, number>> {
    const at = this.now().getTime();
    const since = at - windowDays * 86400_000;
    const down: Record<string, number> = {};
    for (const service of this.services) down[service] = 0;
    const rows = await this.options.store.incidentsOfAlert(
      'ServiceDown',
      new Date(since),
    );
    for (const row of rows) {
      if (!row.service || !(row.service in down)) continue;
      const start = Math.max(since, new Date(row.started_at).getTime());
      const end = row.ended_at ? new Date(row.ended_at).getTime() : at;
      down[row.service] += Math.max(0, end - start);
    }
    return Object.fromEntries(
      Object.entries(down).map(([service, ms]) => [
        service,
        1 - ms / (windowDays * 86400_000),
      ]),
    );
  }

  /** Feeds on a schedule, once the catalog answers (it may start after us). */
  async schedule(options: {
    scheduler: SchedulerService;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    health: Pick<HealthService, 'recordNotification'>;
    uptime: { clear(): Promise<void> };
  }) {
    const { scheduler, catalog, auth, logger, health, uptime } = options;
    await scheduler.scheduleTask({
      id: 'health-demo-feed',
      // every minute: until the catalog has read its Components, then to
      // follow them (one catalog query; the demo only)
      frequency: { minutes: 1 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 5 },
      scope: 'local',
      fn: async () => {
        // The catalog reads its locations after start: wait for them a while,
        // until two reads 2 s apart agree (it stores a location's entities
        // in batches, so the first answer may hold only some of them).
        let items: Entity[] = [];
        let previous = -1;
        for (let attempt = 0; attempt < 10; attempt++) {
          if (attempt) await new Promise(r => setTimeout(r, 2000));
          ({ items } = await catalog.getEntities(
            {
              filter: { kind: 'Component' },
              fields: ['kind', 'metadata.name', 'metadata.annotations'],
            },
            { credentials: await auth.getOwnServiceCredentials() },
          ));
          if (items.length && items.length === previous) break;
          previous = items.length;
        }
        const services = new Set<string>();
        for (const entity of items) {
          try {
            const selector = alertSelectorOf(entity);
            if (selector.label === 'service') services.add(selector.value);
          } catch {
            // a malformed selector: the entity gets no demo
          }
        }
        const before = this.services;
        const fed = await this.feed([...services].sort(), health);
        const changed =
          services.size !== before.size ||
          [...services].some(service => !before.has(service));
        // the cached uptime covers the services of the last feed
        if (fed || changed) await uptime.clear();
        if (fed) {
          logger.info(
            `Fed ${fed} demo Alertmanager notifications for ${services.size} services (health.alertmanager and health.prometheus are not configured)`,
          );
        }
      },
    });
  }
}
