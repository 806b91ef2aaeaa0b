/** Trivy's severities, most severe first. @public */
export const SEVERITIES = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'UNKNOWN',
] as const;

/** One of Trivy's severities. @public */
export type Severity = (typeof SEVERITIES)[number];

/** One vulnerability of one package in one scanned image. @public */
export type Finding = {
  vulnerabilityId: string;
  pkgName: string;
  installedVersion: string;
  fixedVersion?: string;
  severity: Severity;
  /** Trivy's target, e.g. `chat-backend:1.4.2 (debian 12.5)` or `app/package-lock.json`. */
  target: string;
  title?: string;
  /** When this entity's scans first listed this vulnerability in this package. */
  firstSeenAt: string;
};

/** What a report was stored as: `stored` 1 or `duplicates` 1. @public */
export type ReportResult = { stored: number; duplicates: number };

/** The scan of the version live in one environment. @public */
export type EnvironmentScan = {
  environment: string;
  /** The version live there, as platform-deploy reports it. */
  version?: string;
  /** Whether a scan of that version was reported. */
  scanned: boolean;
  /** Whether the scan is the estate's demo feed's (`imageScans.demo`). */
  demo?: boolean;
  scannedAt?: string;
  imageDigest?: string;
  counts: Record<Severity, number>;
  findings: Finding[];
  /**
   * For the production environment: each CRITICAL with when it has been
   * known and live there, the later of its first scan and the deploy of the
   * version live now (a lower bound when earlier versions had it too).
   */
  criticalsOpen?: Array<{
    vulnerabilityId: string;
    pkgName: string;
    openSince: string;
    openDays: number;
  }>;
};

/** Response of `GET /v1/entities/:kind/:namespace/:name`. @public */
export type EntityScansResponse = {
  entityRef: string;
  productionEnvironment: string;
  environments: EnvironmentScan[];
};

/**
 * One entity's production figures, for the readiness facts: the scan of the
 * version live in production.
 *
 * @public
 */
export type EntityScanFacts = {
  entityRef: string;
  /** The version live in production; absent when none is. */
  productionVersion?: string;
  /** Whether that version was scanned. */
  scanned: boolean;
  /** CRITICAL findings of that version's latest scan. */
  critical: number;
  /** HIGH findings of that version's latest scan. */
  high: number;
  /** HIGH findings open in production for more than `highOlderThanDays`. */
  highOlderThan: number;
  /** Days the oldest HIGH has been open in production (null without any). */
  oldestHighDays: number | null;
  demo: boolean;
};

/** Response of `GET /v1/entity-facts`. @public */
export type EntityScanFactsResponse = {
  productionEnvironment: string;
  highOlderThanDays: number;
  items: EntityScanFacts[];
};
