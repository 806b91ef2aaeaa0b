import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Finding } from '@platform-portal/backstage-plugin-image-scans-common';
import { migrateWithLock } from '@platform-portal/backstage-plugin-platform-node';
import { Knex } from 'knex';
import {
  FindingRow,
  NewFinding,
  ReportRow,
  StoredReport,
  findingToRow,
  rowToFinding,
  rowToReport,
  toIso,
} from './rows';

const migrationsDir = resolvePackagePath(
  '@platform-portal/backstage-plugin-image-scans-backend',
  'migrations',
);

/** A report to store: its key (entity, version, image digest) and content. */
export type NewReport = {
  entityRef: string;
  version: string;
  imageDigest: string;
  contentSha256: string;
  artifactName: string;
  source: string;
  findings: NewFinding[];
  /** When it was received; now unless given (the demo feed's history). */
  receivedAt?: Date;
};

/** A CRITICAL or HIGH finding of a report, with when the entity first had it. */
export type SevereFinding = {
  reportId: number;
  vulnerabilityId: string;
  pkgName: string;
  severity: 'CRITICAL' | 'HIGH';
  firstSeenAt: string;
};

/** Rows per insert: within SQLite's 999 bound parameters (10 columns). */
const CHUNK = 90;

/** Reports and findings in the plugin's database (PostgreSQL or SQLite). */
export class ImageScanStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<ImageScanStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateWithLock(knex, { directory: migrationsDir });
    }
    return new ImageScanStore(knex);
  }

  static async fromKnex(knex: Knex): Promise<ImageScanStore> {
    await migrateWithLock(knex, { directory: migrationsDir });
    return new ImageScanStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  /**
   * Stores a report once: the same key with the same content is a duplicate
   * (nothing written), with other content a `ConflictError` (409).
   */
  async storeReport(report: NewReport): Promise<'stored' | 'duplicate'> {
    return this.knex.transaction(async trx => {
      const key = {
        entity_ref: report.entityRef,
        version: report.version,
        image_digest: report.imageDigest,
      };
      const inserted = await trx<ReportRow>('image_scan_reports')
        .insert({
          ...key,
          content_sha256: report.contentSha256,
          artifact_name: report.artifactName,
          source: report.source,
          received_at: report.receivedAt ?? new Date(),
        })
        .onConflict(['entity_ref', 'version', 'image_digest'])
        .ignore()
        .returning('id');
      if (inserted.length === 0) {
        const existing = await trx<ReportRow>('image_scan_reports')
          .where(key)
          .first();
        if (existing?.content_sha256 === report.contentSha256) {
          return 'duplicate';
        }
        throw new ConflictError(
          `a different report for ${report.entityRef} version ${report.version} image ${report.imageDigest} is stored already`,
        );
      }
      const first = inserted[0] as number | { id: number };
      const reportId = typeof first === 'number' ? first : first.id;
      const rows = report.findings.map(f =>
        findingToRow(f, reportId, report.entityRef),
      );
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx('image_scan_findings').insert(rows.slice(i, i + CHUNK));
      }
      return 'stored';
    });
  }

  /** The latest report of each version of the entity among `versions`. */
  async latestReports(
    entityRef: string,
    versions: string[],
  ): Promise<Map<string, StoredReport>> {
    if (versions.length === 0) return new Map();
    const rows = await this.knex<ReportRow>('image_scan_reports')
      .where('entity_ref', entityRef)
      .whereIn('version', versions)
      .orderBy([
        { column: 'received_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    const latest = new Map<string, StoredReport>();
    for (const row of rows) latest.set(row.version, rowToReport(row));
    return latest;
  }

  /**
   * The findings of a report, each with when this entity's reports first
   * listed that vulnerability in that package.
   */
  async findings(report: StoredReport): Promise<Finding[]> {
    const rows = await this.knex<FindingRow>('image_scan_findings')
      .where('report_id', report.id)
      .orderBy(['severity', 'vulnerability_id', 'pkg_name']);
    type FirstSeenRow = {
      vulnerability_id: string;
      pkg_name: string;
      first_seen: Date | string | number;
    };
    const firstSeen: FirstSeenRow[] = await this.knex(
      'image_scan_findings as f',
    )
      .join('image_scan_reports as r', 'r.id', 'f.report_id')
      .where('f.entity_ref', report.entityRef)
      .whereIn(
        'f.vulnerability_id',
        this.knex('image_scan_findings')
          .select('vulnerability_id')
          .where('report_id', report.id),
      )
      .groupBy('f.vulnerability_id', 'f.pkg_name')
      .select('f.vulnerability_id', 'f.pkg_name')
      .min({ first_seen: 'r.received_at' })
      .then(found => found as unknown as FirstSeenRow[]);
    const seen = new Map<string, string>(
      firstSeen.map(r => [
        `${r.vulnerability_id}\u0000${r.pkg_name}`,
        toIso(r.first_seen),
      ]),
    );
    return rows.map(row =>
      rowToFinding(
        row,
        seen.get(`${row.vulnerability_id}\u0000${row.pkg_name}`) ??
          report.receivedAt,
      ),
    );
  }

  /**
   * The latest report of each (entity, version) pair: one query over the
   * reports (their key columns only), the pairs picked in memory.
   */
  async latestReportsOf(
    pairs: Array<{ entityRef: string; version: string }>,
  ): Promise<Map<string, StoredReport>> {
    const wanted = new Set(pairs.map(p => `${p.entityRef}\u0000${p.version}`));
    const latest = new Map<string, StoredReport>();
    if (wanted.size === 0) return latest;
    const rows = await this.knex<ReportRow>('image_scan_reports')
      .select('id', 'entity_ref', 'version', 'image_digest', 'source')
      .select('received_at')
      .orderBy([
        { column: 'received_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    for (const row of rows) {
      const key = `${row.entity_ref}\u0000${row.version}`;
      if (wanted.has(key)) latest.set(key, rowToReport(row as ReportRow));
    }
    return latest;
  }

  /**
   * The CRITICAL and HIGH findings of the given reports, each with when its
   * entity's reports first listed it: two queries (the findings, chunked
   * within SQLite's parameter bound; the first sightings, grouped).
   */
  async severeFindings(reportIds: number[]): Promise<SevereFinding[]> {
    if (reportIds.length === 0) return [];
    const rows: FindingRow[] = [];
    for (let i = 0; i < reportIds.length; i += 500) {
      rows.push(
        ...(await this.knex<FindingRow>('image_scan_findings')
          .whereIn('report_id', reportIds.slice(i, i + 500))
          .whereIn('severity', ['CRITICAL', 'HIGH'])),
      );
    }
    const firstSeen = (await this.knex('image_scan_findings as f')
      .join('image_scan_reports as r', 'r.id', 'f.report_id')
      .whereIn('f.severity', ['CRITICAL', 'HIGH'])
      .groupBy('f.entity_ref', 'f.vulnerability_id', 'f.pkg_name')
      .select('f.entity_ref', 'f.vulnerability_id', 'f.pkg_name')
      .min({ first_seen: 'r.received_at' })) as unknown as Array<{
      entity_ref: string;
      vulnerability_id: string;
      pkg_name: string;
      first_seen: Date | string | number;
    }>;
    const seen = new Map(
      firstSeen.map(r => [
        [r.entity_ref, r.vulnerability_id, r.pkg_name].join('\u0000'),
        toIso(r.first_seen),
      ]),
    );
    return rows.map(row => ({
      reportId: row.report_id,
      vulnerabilityId: row.vulnerability_id,
      pkgName: row.pkg_name,
      severity: row.severity as 'CRITICAL' | 'HIGH',
      firstSeenAt:
        seen.get(
          [row.entity_ref, row.vulnerability_id, row.pkg_name].join('\u0000'),
        ) ?? new Date().toISOString(),
    }));
  }

  /** How many reports not from `source` are stored (the demo feed's guard). */
  async countReportsNotFrom(source: string): Promise<number> {
    const [{ count }] = await this.knex('image_scan_reports')
      .whereNot('source', source)
      .count({ count: '*' });
    return Number(count);
  }

  /** How many reports are stored for the entity (tests, the dev page). */
  async countReports(entityRef: string): Promise<number> {
    const [{ count }] = await this.knex('image_scan_reports')
      .where('entity_ref', entityRef)
      .count({ count: '*' });
    return Number(count);
  }
}
