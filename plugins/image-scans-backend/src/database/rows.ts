import {
  Finding,
  Severity,
} from '@platform-portal/backstage-plugin-image-scans-common';

/** A row of `image_scan_reports`. */
export type ReportRow = {
  id: number;
  entity_ref: string;
  version: string;
  image_digest: string;
  content_sha256: string;
  artifact_name: string;
  source: string;
  received_at: Date | string | number;
};

/** A row of `image_scan_findings`. */
export type FindingRow = {
  id: number;
  report_id: number;
  entity_ref: string;
  vulnerability_id: string;
  pkg_name: string;
  installed_version: string;
  fixed_version: string | null;
  severity: string;
  target: string;
  title: string | null;
};

/** A stored report, as the service reads it. */
export type StoredReport = {
  id: number;
  entityRef: string;
  version: string;
  imageDigest: string;
  /** `http:<subject>` of the credential that posted it, or `demo`. */
  source: string;
  receivedAt: string;
};

/** A finding to store. */
export type NewFinding = Omit<Finding, 'firstSeenAt'>;

export function toIso(value: Date | string | number): string {
  return new Date(value).toISOString();
}

export function rowToReport(row: ReportRow): StoredReport {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    version: row.version,
    imageDigest: row.image_digest,
    source: row.source,
    receivedAt: toIso(row.received_at),
  };
}

export function rowToFinding(row: FindingRow, firstSeenAt: string): Finding {
  return {
    vulnerabilityId: row.vulnerability_id,
    pkgName: row.pkg_name,
    installedVersion: row.installed_version,
    ...(row.fixed_version ? { fixedVersion: row.fixed_version } : {}),
    severity: row.severity as Severity,
    target: row.target,
    ...(row.title ? { title: row.title } : {}),
    firstSeenAt,
  };
}

export function findingToRow(
  finding: NewFinding,
  reportId: number,
  entityRef: string,
): Omit<FindingRow, 'id'> {
  return {
    report_id: reportId,
    entity_ref: entityRef,
    vulnerability_id: finding.vulnerabilityId,
    pkg_name: finding.pkgName,
    installed_version: finding.installedVersion,
    fixed_version: finding.fixedVersion ?? null,
    severity: finding.severity,
    target: finding.target,
    title: finding.title ?? null,
  };
}
