import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  EnvironmentScan,
  SEVERITIES,
  Severity,
  TrivyReport,
} from '@platform-portal/backstage-plugin-image-scans-common';
import { createHash } from 'node:crypto';
import { ImageScanStore } from '../database/ImageScanStore';
import { NewFinding } from '../database/rows';
import { DeployedVersions, EntityOwners, ImageScanService } from './types';

const DAY = 24 * 60 * 60 * 1000;

/** The source of the demo feed's reports (`imageScans.demo.enabled`). */
export const DEMO_SOURCE = 'demo';

/** Findings of a report, one per (target, vulnerability, package, installed version). */
export function findingsOf(report: TrivyReport): NewFinding[] {
  const seen = new Map<string, NewFinding>();
  for (const result of report.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      const key = [
        result.Target,
        v.VulnerabilityID,
        v.PkgName,
        v.InstalledVersion,
      ].join('\u0000');
      seen.set(key, {
        vulnerabilityId: v.VulnerabilityID,
        pkgName: v.PkgName,
        installedVersion: v.InstalledVersion,
        ...(v.FixedVersion ? { fixedVersion: v.FixedVersion } : {}),
        severity: v.Severity,
        target: result.Target,
        ...(v.Title ? { title: v.Title } : {}),
      });
    }
  }
  return [...seen.values()];
}

/** A hash of what the portal reads of a report: a retry hashes the same. */
export function contentHash(report: TrivyReport): string {
  const content = {
    artifactName: report.ArtifactName,
    imageId: report.Metadata.ImageID,
    findings: findingsOf(report)
      .map(f => JSON.stringify(f))
      .sort(),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function zeroCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<
    Severity,
    number
  >;
}

export function createImageScanService(options: {
  store: ImageScanStore;
  deployed: DeployedVersions;
  owners: EntityOwners;
  productionEnvironment: string;
  now?: () => Date;
}): ImageScanService {
  const { store, deployed, owners, productionEnvironment } = options;
  const now = options.now ?? (() => new Date());
  return {
    async ingest(query, report, { source, authorize, receivedAt }) {
      const entityRef = query.entity.toLocaleLowerCase('en-US');
      const { found, owner } = await owners.ownerOf(entityRef);
      if (!found) {
        throw new NotFoundError(
          `query.entity: no entity ${entityRef} in the catalog`,
        );
      }
      authorize({ entityRef, owner });
      const outcome = await store.storeReport({
        entityRef,
        version: query.version,
        imageDigest: report.Metadata.ImageID,
        contentSha256: contentHash(report),
        artifactName: report.ArtifactName,
        source,
        findings: findingsOf(report),
        ...(receivedAt ? { receivedAt } : {}),
      });
      return outcome === 'stored'
        ? { stored: 1, duplicates: 0 }
        : { stored: 0, duplicates: 1 };
    },

    async entity(entityRef: string, _credentials: BackstageCredentials) {
      const { environments, states } = await deployed.forEntity(entityRef);
      const versions = [
        ...new Set(
          environments
            .map(e => states[e]?.version)
            .filter((v): v is string => !!v),
        ),
      ];
      const reports = await store.latestReports(entityRef, versions);
      const result: EnvironmentScan[] = [];
      for (const environment of environments) {
        const state = states[environment];
        const report = state?.version ? reports.get(state.version) : undefined;
        const counts = zeroCounts();
        if (!report) {
          result.push({
            environment,
            ...(state?.version ? { version: state.version } : {}),
            scanned: false,
            counts,
            findings: [],
          });
          continue;
        }
        const findings = await store.findings(report);
        for (const f of findings) counts[f.severity] += 1;
        const scan: EnvironmentScan = {
          environment,
          version: report.version,
          scanned: true,
          demo: report.source === DEMO_SOURCE,
          scannedAt: report.receivedAt,
          imageDigest: report.imageDigest,
          counts,
          findings,
        };
        if (environment === productionEnvironment) {
          const deployedAt = state?.deployedAt
            ? Date.parse(state.deployedAt)
            : 0;
          scan.criticalsOpen = findings
            .filter(f => f.severity === 'CRITICAL')
            .map(f => {
              const since = Math.max(Date.parse(f.firstSeenAt), deployedAt);
              return {
                vulnerabilityId: f.vulnerabilityId,
                pkgName: f.pkgName,
                openSince: new Date(since).toISOString(),
                openDays: Math.floor((now().getTime() - since) / DAY),
              };
            });
        }
        result.push(scan);
      }
      return { entityRef, productionEnvironment, environments: result };
    },

    async entityFacts({ highOlderThanDays }) {
      const live = await deployed.allIn(productionEnvironment);
      const pairs = live.flatMap(l =>
        l.version ? [{ entityRef: l.entityRef, version: l.version }] : [],
      );
      const reports = await store.latestReportsOf(pairs);
      const severe = await store.severeFindings(
        [...reports.values()].map(r => r.id),
      );
      const byReport = new Map<number, typeof severe>();
      for (const f of severe) {
        byReport.set(f.reportId, [...(byReport.get(f.reportId) ?? []), f]);
      }
      const nowMs = now().getTime();
      const items = live.map(l => {
        const report = l.version
          ? reports.get(`${l.entityRef}\u0000${l.version}`)
          : undefined;
        const findings = report ? byReport.get(report.id) ?? [] : [];
        const deployedAt = l.deployedAt ? Date.parse(l.deployedAt) : 0;
        const highDays = findings
          .filter(f => f.severity === 'HIGH')
          .map(f =>
            Math.floor(
              (nowMs - Math.max(Date.parse(f.firstSeenAt), deployedAt)) / DAY,
            ),
          );
        return {
          entityRef: l.entityRef,
          ...(l.version ? { productionVersion: l.version } : {}),
          scanned: !!report,
          critical: findings.filter(f => f.severity === 'CRITICAL').length,
          high: highDays.length,
          highOlderThan: highDays.filter(d => d > highOlderThanDays).length,
          oldestHighDays: highDays.length > 0 ? Math.max(...highDays) : null,
          demo: report?.source === DEMO_SOURCE,
        };
      });
      return { productionEnvironment, highOlderThanDays, items };
    },
  };
}
