import { EntityScanFactsResponse } from '@platform-portal/backstage-plugin-image-scans-common';
import {
  COVERAGE_TARGET,
  CRITICAL_PATHS_ANNOTATION,
  EntityCoverageFactsResponse,
} from '@platform-portal/backstage-plugin-quality-common';
import { PluginClient } from './pluginClient';
import { CategoryFacts, PlatformFactSource } from './types';

/**
 * The one place the coverage and scan figures of an entity become its
 * `quality` fact; either may be missing (never reported, not deployed).
 *
 * @public
 */
export function toQualityFacts(
  coverage: EntityCoverageFactsResponse['items'][number] | undefined,
  scans: EntityScanFactsResponse['items'][number] | undefined,
  options: { highOlderThanDays: number; productionEnvironment: string },
): CategoryFacts {
  const notes: Record<string, string> = {};
  if (!coverage) {
    notes.lineCoverage = 'no coverage report (scripts/report-coverage)';
    notes.criticalPathsCoverage = notes.lineCoverage;
  } else {
    if (coverage.lineCoverage < COVERAGE_TARGET) {
      notes.lineCoverage = `${coverage.lineCoverage} % of lines, target ${COVERAGE_TARGET} %`;
    }
    if (coverage.criticalPathsCoverage === null) {
      notes.criticalPathsCoverage = `no ${CRITICAL_PATHS_ANNOTATION} annotation`;
    } else if (coverage.criticalPathFiles === 0) {
      notes.criticalPathsCoverage =
        'no file of the latest report matches the critical-path globs';
    } else if (coverage.criticalPathsCoverage < 100) {
      notes.criticalPathsCoverage = `${coverage.criticalPathsCoverage} % of critical-path lines, target 100 %`;
    }
  }
  const env = options.productionEnvironment;
  let critical: number | null = null;
  let highOld: number | null = null;
  if (!scans?.productionVersion) {
    notes.productionCriticalVulns = `no version live in ${env}`;
    notes.highOlderThanDays = notes.productionCriticalVulns;
  } else if (!scans.scanned) {
    notes.productionCriticalVulns = `${env} version ${scans.productionVersion} was never scanned (scripts/report-scan)`;
    notes.highOlderThanDays = notes.productionCriticalVulns;
  } else {
    critical = scans.critical;
    highOld = scans.highOlderThan;
    if (critical > 0) {
      notes.productionCriticalVulns = `${critical} CRITICAL in ${env} version ${scans.productionVersion}`;
    }
    if (highOld > 0) {
      notes.highOlderThanDays = `${highOld} HIGH open in ${env} for more than ${options.highOlderThanDays} days (oldest ${scans.oldestHighDays} days)`;
    }
  }
  return {
    applicable: true,
    lineCoverage: coverage?.lineCoverage ?? null,
    branchCoverage: coverage?.branchCoverage ?? null,
    criticalPathsCoverage:
      coverage && coverage.criticalPathFiles > 0
        ? coverage.criticalPathsCoverage
        : null,
    productionCriticalVulns: critical,
    highOlderThanDays: highOld,
    ...(Object.keys(notes).length > 0 ? { notes } : {}),
  };
}

/**
 * Quality facts of every entity with a coverage report or a production
 * version: one request to the code-coverage backend
 * (`GET /platform/v1/entity-facts`, the portal's module) and one to
 * image-scans (`GET /v1/entity-facts`) per run.
 *
 * @public
 */
export function createQualityFactSource(options: {
  client: PluginClient;
  /** A HIGH open longer than this in production counts. Default 30 days. */
  highOlderThanDays?: number;
}): PlatformFactSource {
  const highOlderThanDays = options.highOlderThanDays ?? 30;
  return {
    id: 'platformQuality',
    version: '1.0.0',
    title: 'Test coverage and image vulnerabilities',
    description:
      'Coverage of the latest report (code-coverage) and the vulnerabilities of the version live in production (image-scans).',
    factName: 'quality',
    fields: {
      applicable: 'always true',
      lineCoverage:
        'line coverage of the latest report, percent; null without one',
      branchCoverage: 'branch coverage, percent; null without branch data',
      criticalPathsCoverage:
        'line coverage of the files matching platform-portal.dev/critical-paths, percent; null without the annotation or a matching file',
      productionCriticalVulns:
        'CRITICAL findings of the production version; null when it was not scanned',
      highOlderThanDays: `HIGH findings open in production for more than ${highOlderThanDays} days; null when not scanned`,
    },
    async read() {
      const [coverage, scans] = await Promise.all([
        options.client.getJson<EntityCoverageFactsResponse>(
          'code-coverage',
          '/platform/v1/entity-facts',
        ),
        options.client.getJson<EntityScanFactsResponse>(
          'image-scans',
          `/v1/entity-facts?highOlderThanDays=${highOlderThanDays}`,
        ),
      ]);
      const byRef = new Map(coverage.items.map(c => [c.entityRef, c]));
      const scansByRef = new Map(scans.items.map(s => [s.entityRef, s]));
      const refs = new Set([...byRef.keys(), ...scansByRef.keys()]);
      return new Map(
        [...refs].map(ref => [
          ref,
          toQualityFacts(byRef.get(ref), scansByRef.get(ref), {
            highOlderThanDays,
            productionEnvironment: scans.productionEnvironment,
          }),
        ]),
      );
    },
  };
}
