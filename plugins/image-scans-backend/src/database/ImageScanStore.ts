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
          received_at: new Date(),
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

  /** How many reports are stored for the entity (tests, the dev page). */
  async countReports(entityRef: string): Promise<number> {
    const [{ count }] = await this.knex('image_scan_reports')
      .where('entity_ref', entityRef)
      .count({ count: '*' });
    return Number(count);
  }
}
