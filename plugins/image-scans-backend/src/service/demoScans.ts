import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Severity,
  TrivyReport,
  trivyReportSchema,
} from '@platform-portal/backstage-plugin-image-scans-common';
import { createHash } from 'node:crypto';
import { ImageScanStore } from '../database/ImageScanStore';
import { DEMO_SOURCE } from './createImageScanService';
import { DeployedVersions, ImageScanService } from './types';

const HOUR = 60 * 60 * 1000;

/** Small stable hash, so every entity gets its own but repeatable findings. */
function hash(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  return h;
}

type Vuln = {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Severity: Severity;
  Title?: string;
};

// Real advisories of packages a Debian 12 Node.js image carries, with the
// versions that fix them; the demo puts some of them in each image.
const OS: Vuln[] = [
  {
    VulnerabilityID: 'CVE-2024-45491',
    PkgName: 'libexpat1',
    InstalledVersion: '2.5.0-1',
    FixedVersion: '2.5.0-1+deb12u1',
    Severity: 'CRITICAL',
    Title: 'libexpat: Integer Overflow or Wraparound',
  },
  {
    VulnerabilityID: 'CVE-2024-6387',
    PkgName: 'openssh-client',
    InstalledVersion: '1:9.2p1-2',
    FixedVersion: '1:9.2p1-2+deb12u3',
    Severity: 'HIGH',
    Title: 'openssh: regreSSHion: RCE in OpenSSH server',
  },
  {
    VulnerabilityID: 'CVE-2024-28182',
    PkgName: 'libnghttp2-14',
    InstalledVersion: '1.52.0-1',
    FixedVersion: '1.52.0-1+deb12u2',
    Severity: 'MEDIUM',
    Title: 'nghttp2: CONTINUATION frames DoS',
  },
  {
    VulnerabilityID: 'CVE-2023-50495',
    PkgName: 'libtinfo6',
    InstalledVersion: '6.4-4',
    Severity: 'MEDIUM',
    Title: 'ncurses: segmentation fault via _nc_wrap_entry()',
  },
  {
    VulnerabilityID: 'CVE-2011-3374',
    PkgName: 'apt',
    InstalledVersion: '2.6.1',
    Severity: 'LOW',
    Title: 'apt: weak key validation',
  },
];
const NPM: Vuln[] = [
  {
    VulnerabilityID: 'CVE-2024-21538',
    PkgName: 'cross-spawn',
    InstalledVersion: '7.0.3',
    FixedVersion: '7.0.5, 6.0.6',
    Severity: 'HIGH',
    Title: 'cross-spawn: regular expression denial of service',
  },
  {
    VulnerabilityID: 'CVE-2024-37890',
    PkgName: 'ws',
    InstalledVersion: '8.16.0',
    FixedVersion: '8.17.1',
    Severity: 'HIGH',
    Title: 'nodejs-ws: denial of service with many HTTP headers',
  },
  {
    VulnerabilityID: 'CVE-2024-29041',
    PkgName: 'express',
    InstalledVersion: '4.18.2',
    FixedVersion: '4.19.2',
    Severity: 'MEDIUM',
    Title: 'express: open redirect in malformed URLs',
  },
];

/**
 * A Trivy report (schema 2) for one version of one entity, the same for the
 * same pair: profile 0 clean but for LOW/MEDIUM, 1 a HIGH, 2 a CRITICAL and
 * HIGHs, 3 MEDIUMs. Marked as the demo's by its artifact registry
 * (`demo.invalid`) and stored with source `demo`.
 */
export function demoTrivyReport(
  entityRef: string,
  version: string,
): TrivyReport {
  const name = entityRef.split('/').pop()!;
  const profile = hash(`${entityRef}@${version}`) % 4;
  const pick = (list: Vuln[], severities: string[]) =>
    list.filter(v => severities.includes(v.Severity));
  const os =
    profile === 2
      ? OS
      : pick(OS, profile === 1 ? ['HIGH', 'MEDIUM', 'LOW'] : ['MEDIUM', 'LOW']);
  const npmSeverities: Record<number, string[]> = {
    0: [],
    1: ['HIGH'],
    2: ['CRITICAL', 'HIGH', 'MEDIUM'],
    3: ['MEDIUM'],
  };
  const npm = pick(NPM, npmSeverities[profile]);
  const artifact = `demo.invalid/${name}:${version}`;
  // validated as the router validates a posted report
  return trivyReportSchema.parse({
    SchemaVersion: 2,
    ArtifactName: artifact,
    Metadata: {
      ImageID: `sha256:${createHash('sha256')
        .update(`${entityRef}@${version}`)
        .digest('hex')}`,
    },
    Results: [
      { Target: `${artifact} (debian 12.5)`, Vulnerabilities: os },
      { Target: 'app/package-lock.json', Vulnerabilities: npm },
    ],
  });
}

/**
 * Feeds a demo scan of the version live in each environment of every
 * Component through the ingest service, received an hour before that version
 * was deployed (so production's criticals have been open since the deploy),
 * unless real (non-demo) reports exist. Safe to repeat: the same pair gives
 * the same report, a duplicate stores nothing.
 */
export async function feedDemoScans(options: {
  scans: ImageScanService;
  store: ImageScanStore;
  deployed: DeployedVersions;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  now: Date;
}): Promise<{ stored: number }> {
  const { scans, store, deployed, logger } = options;
  if ((await store.countReportsNotFrom(DEMO_SOURCE)) > 0) {
    logger.info('Real image scans exist; not feeding demo scans');
    return { stored: 0 };
  }
  const { items } = await options.catalog.getEntities(
    {
      filter: { kind: 'Component' },
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );
  let stored = 0;
  for (const entity of items) {
    const entityRef = stringifyEntityRef(entity);
    const { environments, states } = await deployed.forEntity(entityRef);
    const firstDeployed = new Map<string, number>();
    for (const env of environments) {
      const state = states[env];
      if (!state?.version) continue;
      const at = state.deployedAt
        ? Date.parse(state.deployedAt) - HOUR
        : options.now.getTime();
      firstDeployed.set(
        state.version,
        Math.min(at, firstDeployed.get(state.version) ?? Infinity),
      );
    }
    for (const [version, at] of firstDeployed) {
      const result = await scans.ingest(
        { entity: entityRef, version },
        demoTrivyReport(entityRef, version),
        { source: DEMO_SOURCE, authorize: () => {}, receivedAt: new Date(at) },
      );
      stored += result.stored;
    }
  }
  if (stored > 0) {
    logger.info('Fed demo image scans', { entities: items.length, stored });
  }
  return { stored };
}
