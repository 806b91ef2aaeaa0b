import { EntityScansResponse } from '@platform-portal/backstage-plugin-image-scans-common';
import {
  CoverageHistory,
  CoverageReport,
} from '@platform-portal/backstage-plugin-quality-common';

function lines(covered: number, total: number): Record<string, number> {
  return Object.fromEntries(
    Array.from({ length: total }, (_, i) => [
      String(i + 1),
      i < covered ? 3 : 0,
    ]),
  );
}

/** chat-backend's latest report: 84 % lines, 70 % branches, one critical file short. */
export const report: CoverageReport = {
  metadata: {
    vcs: { type: 'unknown', location: 'unknown' },
    generationTime: Date.parse('2026-12-01T10:00:00Z'),
    demo: true,
  },
  entity: { name: 'chat-backend', namespace: 'default', kind: 'Component' },
  files: [
    {
      filename: 'src/payments/charge.ts',
      lineHits: lines(9, 10),
      branchHits: {},
    },
    {
      filename: 'src/payments/refund.ts',
      lineHits: lines(10, 10),
      branchHits: {},
    },
    { filename: 'src/util/strings.ts', lineHits: lines(5, 10), branchHits: {} },
    { filename: 'src/server.ts', lineHits: lines(60, 70), branchHits: {} },
  ],
  aggregate: {
    line: { available: 100, covered: 84, missed: 16, percentage: 84 },
    branch: { available: 20, covered: 14, missed: 6, percentage: 70 },
  },
};

export const history: CoverageHistory = {
  entity: report.entity,
  history: [
    {
      timestamp: Date.parse('2026-12-01T10:00:00Z'),
      line: report.aggregate.line,
      branch: report.aggregate.branch,
    },
    {
      timestamp: Date.parse('2026-11-30T10:00:00Z'),
      line: { available: 100, covered: 80, missed: 20, percentage: 80 },
      branch: { available: 20, covered: 12, missed: 8, percentage: 60 },
    },
  ],
};

const zero = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };

export const scans: EntityScansResponse = {
  entityRef: 'component:default/chat-backend',
  productionEnvironment: 'production',
  environments: [
    {
      environment: 'staging',
      version: '1.5.0',
      scanned: true,
      demo: true,
      scannedAt: '2026-12-01T09:00:00.000Z',
      imageDigest: 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      counts: { ...zero, LOW: 1 },
      findings: [
        {
          vulnerabilityId: 'CVE-2026-1111',
          pkgName: 'zlib',
          installedVersion: '1.2.13',
          severity: 'LOW',
          target: 'chat-backend:1.5.0 (debian 12.5)',
          firstSeenAt: '2026-11-20T09:00:00.000Z',
        },
      ],
    },
    {
      environment: 'production',
      version: '1.4.2',
      scanned: true,
      demo: true,
      scannedAt: '2026-11-20T09:00:00.000Z',
      imageDigest: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      counts: { ...zero, CRITICAL: 1, HIGH: 1 },
      findings: [
        {
          vulnerabilityId: 'CVE-2026-0001',
          pkgName: 'openssl',
          installedVersion: '3.0.11',
          fixedVersion: '3.0.13',
          severity: 'CRITICAL',
          target: 'chat-backend:1.4.2 (debian 12.5)',
          firstSeenAt: '2026-11-20T09:00:00.000Z',
        },
        {
          vulnerabilityId: 'CVE-2026-0002',
          pkgName: 'express',
          installedVersion: '4.18.0',
          fixedVersion: '4.19.2',
          severity: 'HIGH',
          target: 'app/package-lock.json',
          firstSeenAt: '2026-11-20T09:00:00.000Z',
        },
      ],
      criticalsOpen: [
        {
          vulnerabilityId: 'CVE-2026-0001',
          pkgName: 'openssl',
          openSince: '2026-11-20T09:00:00.000Z',
          openDays: 12,
        },
      ],
    },
  ],
};
