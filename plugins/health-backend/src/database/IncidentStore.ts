import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { migrateWithLock } from '@platform-portal/backstage-plugin-platform-node';
import { Knex } from 'knex';
import { AlertSelector } from '@platform-portal/backstage-plugin-health-common';
import { AlertReport, IncidentRow, labelsOf } from './rows';

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-health-backend',
  'migrations',
);

/** The most incidents one entity's query reads (newest first). */
export const MAX_INCIDENTS = 500;

/** The most incidents the overview reads for the whole estate. */
export const MAX_ESTATE_INCIDENTS = 100_000;

/** Incidents in the plugin's database. */
export class IncidentStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<IncidentStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateWithLock(db, { directory: migrationsDir });
    }
    return new IncidentStore(db);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Records what one notification says of an alert: a firing alert opens
   * its incident once (a repeat changes nothing), a resolved one closes it
   * (a retry sets the same end). A resolved alert never seen firing is
   * recorded whole.
   */
  async record(report: AlertReport, now = new Date()): Promise<void> {
    const row: IncidentRow = {
      fingerprint: report.fingerprint,
      started_at: report.startedAt,
      ended_at: report.endedAt ?? null,
      alertname: report.alertname,
      service: report.labels.service ?? null,
      severity: report.severity,
      summary: report.summary ?? null,
      labels: JSON.stringify(report.labels),
      updated_at: now,
    };
    const insert = this.db<IncidentRow>('health_incidents')
      .insert(row)
      .onConflict(['fingerprint', 'started_at']);
    if (report.endedAt) {
      await insert.merge(['ended_at', 'updated_at']);
    } else {
      await insert.ignore();
    }
  }

  /** Incidents whose alerts match the selector, newest first, started after `since`. */
  async incidentsOf(
    selector: AlertSelector,
    since: Date,
  ): Promise<IncidentRow[]> {
    const query = this.db<IncidentRow>('health_incidents')
      .where('started_at', '>=', since)
      .orderBy('started_at', 'desc')
      .limit(MAX_INCIDENTS);
    if (selector.label === 'service') {
      return query.where('service', selector.value);
    }
    // Other labels are in the labels JSON: read the window, match here.
    const rows = await query.limit(MAX_INCIDENTS * 10);
    return rows
      .filter(row => labelsOf(row)[selector.label] === selector.value)
      .slice(0, MAX_INCIDENTS);
  }

  /**
   * Every incident started after `since`, for the overview: one query for
   * the estate (the caller matches them to services by their labels).
   */
  async incidentsSince(since: Date): Promise<IncidentRow[]> {
    return this.db<IncidentRow>('health_incidents')
      .where('started_at', '>=', since)
      .orderBy('started_at', 'desc')
      .limit(MAX_ESTATE_INCIDENTS);
  }

  /** Incidents still open (firing), oldest first. */
  async openIncidents(): Promise<IncidentRow[]> {
    return this.db<IncidentRow>('health_incidents')
      .whereNull('ended_at')
      .orderBy('started_at', 'asc')
      .limit(MAX_INCIDENTS * 10);
  }

  /** Incidents of one alert that overlap the window from `since`. */
  async incidentsOfAlert(
    alertname: string,
    since: Date,
  ): Promise<IncidentRow[]> {
    return this.db<IncidentRow>('health_incidents')
      .where('alertname', alertname)
      .andWhere(q => q.whereNull('ended_at').orWhere('ended_at', '>=', since));
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db('health_incidents').count({ n: '*' });
    return Number(n);
  }
}
