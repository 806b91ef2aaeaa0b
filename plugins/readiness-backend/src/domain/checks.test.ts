/*
 * Table tests of every configured check (app-config.yaml's
 * techInsights.factChecker.checks): for each, facts that pass, that fail,
 * that make it not applicable and that give it no data, written by the real
 * fact mappers of tech-insights-backend-module-platform into the real
 * tech-insights fact store (SQLite and PostgreSQL), checked by the real
 * json-rules-engine fact checker, and read by the readiness interpretation.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { initializePersistenceContext } from '@backstage-community/plugin-tech-insights-backend';
import { JsonRulesEngineFactCheckerFactory } from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import {
  createBackupsFactSource,
  createCatalogFactSource,
  createDeploysFactSource,
  createHealthFactSource,
  createPlatformFactRetriever,
  createQualityFactSource,
  toBackupsFacts,
  toCatalogFacts,
  toDeploysFacts,
  toHealthFacts,
  toQualityFacts,
} from '@platform-portal/backstage-plugin-tech-insights-backend-module-platform';
import type { EntityCoverageFacts } from '@platform-portal/backstage-plugin-quality-common';
import type { EntityScanFacts } from '@platform-portal/backstage-plugin-image-scans-common';
import type { ServiceHealth } from '@platform-portal/backstage-plugin-health-common';
import type { EntityDeployFacts } from '@platform-portal/backstage-plugin-platform-deploy-common';
import type { BackupOverviewItem } from '@platform-portal/backstage-plugin-backup-status-common';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import yaml from 'yaml';
import { readReadinessConfig } from '../config';
import { interpretCheck, TechInsightsCheckResult } from './interpret';

jest.setTimeout(120_000);

const appConfig = new ConfigReader(
  yaml.parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../../app-config.yaml'),
      'utf8',
    ),
  ),
);
const { checks } = readReadinessConfig(appConfig);
const AT = new Date('2026-11-30T12:00:00Z');
const HOUR = 3600_000;

// ---- facts, as the sources' mappers write them ----------------------------

const deploy = (over: Partial<EntityDeployFacts> = {}) => ({
  platformDeploys: {
    deploys: toDeploysFacts(
      {
        entityRef: 'x',
        deploysToEnvironment: true,
        productionDeploysPerWeek: 7,
        terminalDeploys: 30,
        failedDeploys: 1,
        successRate: 29 / 30,
        p90DurationSeconds: 300,
        changeFailureRate: 1 / 30,
        timeToRestoreSeconds: 1200,
        lastProductionDeployAt: '2026-11-30T10:00:00Z',
        lastProductionDeployAgeDays: 0.1,
        healthProbeConfigured: true,
        health: 'up',
        ...over,
      },
      'production',
    ),
  },
});

const backupItem = (
  entityRef: string,
  over: {
    ageHours?: number;
    test?: { status: 'succeeded' | 'failed'; daysAgo: number; minutes: number };
    /** backup-status' `size_anomaly` reason on the entity. */
    sizeAnomaly?: string;
  },
): BackupOverviewItem => ({
  entityRef,
  policyName: 'postgres-daily',
  policy: {
    name: 'postgres-daily',
    schedule: '0 2 * * *',
    rpoHours: 24,
    retentionDays: 30,
    restoreTestIntervalDays: 7,
    rtoHours: 1,
    graceHours: 2,
  },
  backup: {
    status: over.sizeAnomaly ? 'warning' : 'ok',
    reasons: over.sizeAnomaly
      ? [
          {
            code: 'size_anomaly',
            severity: 'warning',
            message: over.sizeAnomaly,
          },
        ]
      : [],
    ageHours: over.ageHours,
    series: [],
    demo: false,
    lastRestoreTest: over.test && {
      type: 'restore-test',
      status: over.test.status,
      finishedAt: new Date(
        AT.getTime() - over.test.daysAgo * 24 * HOUR,
      ).toISOString(),
      durationMinutes: over.test.minutes,
    },
  },
});
const goodTest = { status: 'succeeded' as const, daysAgo: 2, minutes: 20 };
const backups = (...tracked: BackupOverviewItem[]) => ({
  platformBackups: { backups: toBackupsFacts(tracked, AT) },
});
const healthyBackups = () =>
  backups(
    backupItem('component:default/svc', { ageHours: 5, test: goodTest }),
    backupItem('resource:default/chat-db', { ageHours: 6, test: goodTest }),
  );

const component = (over: {
  owner?: string;
  spec?: Record<string, unknown>;
  metadata?: Partial<Entity['metadata']>;
}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'svc',
    description: 'Serves things',
    annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
    links: [
      {
        url: 'https://example.com/runbook.md',
        title: 'Runbook',
        type: 'runbook',
      },
    ],
    ...over.metadata,
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    system: 'chat',
    ...over.spec,
  },
  relations: [
    { type: 'ownedBy', targetRef: over.owner ?? 'group:default/chat-team' },
  ],
});
const catalog = (entity: Entity) => ({
  platformCatalog: { catalog: toCatalogFacts(entity) },
});

const uptimeWindow = (days: number, uptime?: number) => {
  const budget = days * 86.4;
  if (uptime === undefined) {
    return { days, objective: 0.999, errorBudgetSeconds: budget };
  }
  const down = days * 86400 * (1 - uptime);
  return {
    days,
    objective: 0.999,
    uptime,
    meetsObjective: uptime >= 0.999,
    errorBudgetSeconds: budget,
    downtimeSeconds: down,
    errorBudgetRemaining: (budget - down) / budget,
  };
};
const health = (
  over: Partial<ServiceHealth> & { uptime?: number | null } = {},
) => {
  const { uptime = 0.9995, ...rest } = over;
  return {
    platformHealth: {
      health: toHealthFacts({
        entityRef: 'component:default/svc',
        type: 'service',
        selector: { label: 'service', value: 'svc' },
        firing: {},
        silenced: 0,
        windows: [
          uptimeWindow(7, uptime ?? undefined),
          uptimeWindow(30, uptime ?? undefined),
        ],
        reliability: {
          windowDays: 30,
          incidents: 2,
          mttrSeconds: 1200,
          mtbfSeconds: 1_290_000,
        },
        ...rest,
      }),
    },
  };
};
const mobileApp = health({ type: 'mobile-app' });

const quality = (
  coverage: Partial<EntityCoverageFacts> | null = {},
  scans: Partial<EntityScanFacts> | null = {},
) => ({
  platformQuality: {
    quality: toQualityFacts(
      coverage === null
        ? undefined
        : {
            entityRef: 'x',
            lineCoverage: 86.5,
            branchCoverage: 78,
            criticalPathsCoverage: 100,
            criticalPathFiles: 4,
            reportedAt: AT.toISOString(),
            demo: false,
            ...coverage,
          },
      scans === null
        ? undefined
        : {
            entityRef: 'x',
            productionVersion: 'main-abc1234',
            scanned: true,
            critical: 0,
            high: 2,
            highOlderThan: 0,
            oldestHighDays: 12,
            demo: false,
            ...scans,
          },
      { highOlderThanDays: 30, productionEnvironment: 'production' },
    ),
  },
});

type Facts = Record<string, Record<string, unknown>>;
type Case = [
  checkId: string,
  label: string,
  facts: Facts,
  expected: 'pass' | 'fail' | 'not-applicable' | 'no-data',
  why?: string | RegExp,
];

const notDeployed = deploy({ deploysToEnvironment: false });
const noDeploys = deploy({
  terminalDeploys: 0,
  failedDeploys: 0,
  productionDeploysPerWeek: 0,
  successRate: null,
  changeFailureRate: null,
  p90DurationSeconds: null,
  timeToRestoreSeconds: null,
});
const nothingToBackUp = backups();

const cases: Case[] = [
  // catalog: every component has catalog metadata, so never not applicable
  ['catalog-owner-group', 'a team', catalog(component({})), 'pass'],
  [
    'catalog-owner-group',
    'a person',
    catalog(component({ owner: 'user:default/jane' })),
    'fail',
    'owned by user:default/jane, not a team',
  ],
  [
    'catalog-owner-group',
    'no catalog facts',
    {},
    'no-data',
    /no platformCatalog facts/,
  ],
  ['catalog-system', 'set', catalog(component({})), 'pass'],
  [
    'catalog-system',
    'missing',
    catalog(component({ spec: { system: undefined } })),
    'fail',
    'spec.system is not set',
  ],
  ['catalog-system', 'no catalog facts', {}, 'no-data'],
  ['catalog-lifecycle', 'set', catalog(component({})), 'pass'],
  [
    'catalog-lifecycle',
    'blank',
    catalog(component({ spec: { lifecycle: ' ' } })),
    'fail',
    'spec.lifecycle is not set',
  ],
  ['catalog-lifecycle', 'no catalog facts', {}, 'no-data'],
  ['catalog-description', 'set', catalog(component({})), 'pass'],
  [
    'catalog-description',
    'missing',
    catalog(component({ metadata: { description: undefined } })),
    'fail',
    'metadata.description is not set',
  ],
  ['catalog-description', 'no catalog facts', {}, 'no-data'],
  ['docs-techdocs', 'annotated', catalog(component({})), 'pass'],
  [
    'docs-techdocs',
    'not annotated',
    catalog(component({ metadata: { annotations: {} } })),
    'fail',
    'no backstage.io/techdocs-ref annotation',
  ],
  ['docs-techdocs', 'no catalog facts', {}, 'no-data'],
  ['docs-runbook', 'linked', catalog(component({})), 'pass'],
  [
    'docs-runbook',
    'a link to /runbooks/',
    catalog(
      component({
        metadata: { links: [{ url: 'https://x.dev/runbooks/chat' }] },
      }),
    ),
    'pass',
  ],
  [
    'docs-runbook',
    'other links only',
    catalog(
      component({
        metadata: {
          links: [{ url: 'https://chat.mana.how', title: 'Production' }],
        },
      }),
    ),
    'fail',
    'no metadata.links entry of type runbook',
  ],
  ['docs-runbook', 'no catalog facts', {}, 'no-data'],

  ['deploy-success-rate', '29 of 30', deploy(), 'pass'],
  [
    'deploy-success-rate',
    '27 of 30',
    deploy({ successRate: 0.9 }),
    'fail',
    'success rate is 0.9, target > 0.95',
  ],
  [
    'deploy-success-rate',
    'not deployed to production',
    notDeployed,
    'not-applicable',
    /not deployed to production/,
  ],
  [
    'deploy-success-rate',
    'no deploy in the window',
    noDeploys,
    'no-data',
    'no production deploy in the window',
  ],
  [
    'deploy-success-rate',
    'no deploy facts',
    {},
    'no-data',
    /no platformDeploys facts/,
  ],
  ['deploy-duration', 'p90 5 min', deploy(), 'pass'],
  [
    'deploy-duration',
    'p90 15 min',
    deploy({ p90DurationSeconds: 900 }),
    'fail',
    'p90 deploy minutes is 15, target < 10',
  ],
  [
    'deploy-duration',
    'not deployed to production',
    notDeployed,
    'not-applicable',
  ],
  ['deploy-duration', 'no deploy in the window', noDeploys, 'no-data'],
  ['deploy-health-probe', 'configured, up', deploy(), 'pass'],
  [
    'deploy-health-probe',
    'configured, not probed yet',
    deploy({ health: 'unknown' }),
    'pass',
  ],
  [
    'deploy-health-probe',
    'down',
    deploy({ health: 'down' }),
    'fail',
    'the production health URL failed its last probes',
  ],
  [
    'deploy-health-probe',
    'a mobile app (no server)',
    deploy({
      type: 'mobile-app',
      healthProbeConfigured: false,
      health: 'unknown',
    }),
    'pass',
  ],
  [
    'deploy-health-probe',
    'no health URL',
    deploy({ healthProbeConfigured: false }),
    'fail',
    'no platform-portal.dev/health-url.production annotation',
  ],
  [
    'deploy-health-probe',
    'not deployed to production',
    notDeployed,
    'not-applicable',
  ],
  ['deploy-health-probe', 'no deploy facts', {}, 'no-data'],
  ['deploy-frequency', '7 a week', deploy(), 'pass'],
  [
    'deploy-frequency',
    '2.3 a week',
    deploy({ productionDeploysPerWeek: 2.3 }),
    'fail',
    'production deploys per week is 2.3, target > 5',
  ],
  [
    'deploy-frequency',
    'not deployed to production',
    notDeployed,
    'not-applicable',
  ],
  ['deploy-frequency', 'no deploy facts', {}, 'no-data'],
  ['deploy-time-to-restore', 'restored in 20 min', deploy(), 'pass'],
  [
    'deploy-time-to-restore',
    'no failure',
    deploy({ failedDeploys: 0, timeToRestoreSeconds: null }),
    'pass',
  ],
  [
    'deploy-time-to-restore',
    'restored in 90 min',
    deploy({ timeToRestoreSeconds: 5400 }),
    'fail',
    'failed deploys is 1, target = 0; time to restore (min) is 90, target < 60',
  ],
  [
    'deploy-time-to-restore',
    'not restored yet',
    deploy({ failedDeploys: 2, timeToRestoreSeconds: null }),
    'fail',
    /2 failed production deploy\(s\) not followed by a successful one yet/,
  ],
  [
    'deploy-time-to-restore',
    'not deployed to production',
    notDeployed,
    'not-applicable',
  ],
  ['deploy-time-to-restore', 'no deploy facts', {}, 'no-data'],

  ['backups-within-rpo', 'all within 24 h', healthyBackups(), 'pass'],
  [
    'backups-within-rpo',
    'a dependency 31 h old',
    backups(
      backupItem('component:default/svc', { ageHours: 5 }),
      backupItem('resource:default/chat-db', { ageHours: 31 }),
    ),
    'fail',
    'resource:default/chat-db: last success 31 h ago, RPO 24 h',
  ],
  [
    'backups-within-rpo',
    'never backed up',
    backups(backupItem('resource:default/chat-db', {})),
    'fail',
    'resource:default/chat-db: no successful backup',
  ],
  [
    'backups-within-rpo',
    'nothing to back up',
    nothingToBackUp,
    'not-applicable',
    /neither the component nor anything it depends on/,
  ],
  [
    'backups-within-rpo',
    'no backup facts',
    {},
    'no-data',
    /no platformBackups facts/,
  ],
  ['backups-restore-tested', 'tested 2 days ago', healthyBackups(), 'pass'],
  [
    'backups-restore-tested',
    'tested 9 days ago',
    backups(
      backupItem('resource:default/chat-db', {
        ageHours: 3,
        test: { ...goodTest, daysAgo: 9 },
      }),
    ),
    'fail',
    'resource:default/chat-db: last restore test 9 days ago, every 7 days',
  ],
  [
    'backups-restore-tested',
    'never tested',
    backups(backupItem('resource:default/chat-db', { ageHours: 3 })),
    'fail',
    'resource:default/chat-db: never restore-tested',
  ],
  [
    'backups-restore-tested',
    'nothing to back up',
    nothingToBackUp,
    'not-applicable',
  ],
  ['backups-restore-tested', 'no backup facts', {}, 'no-data'],
  ['backups-size-normal', 'normal sizes', healthyBackups(), 'pass'],
  [
    'backups-size-normal',
    'a 1 MB dump after 2.7 GB ones',
    backups(
      backupItem('component:default/svc', { ageHours: 5, test: goodTest }),
      backupItem('resource:default/chat-db', {
        ageHours: 6,
        test: goodTest,
        sizeAnomaly:
          'Last backup 1.0 MB is 0.04 % of the median 2.7 GB of the previous 7 (a warning below 50 %).',
      }),
    ),
    'fail',
    'resource:default/chat-db: Last backup 1.0 MB is 0.04 % of the median 2.7 GB of the previous 7 (a warning below 50 %).',
  ],
  [
    'backups-size-normal',
    'nothing to back up',
    nothingToBackUp,
    'not-applicable',
  ],
  ['backups-size-normal', 'no backup facts', {}, 'no-data'],
  ['backups-restore-within-rto', '20 min, RTO 1 h', healthyBackups(), 'pass'],
  [
    'backups-restore-within-rto',
    '90 min, RTO 1 h',
    backups(
      backupItem('resource:default/chat-db', {
        ageHours: 3,
        test: { ...goodTest, minutes: 90 },
      }),
    ),
    'fail',
    'resource:default/chat-db: restore took 90 min, RTO 1 h',
  ],
  [
    'backups-restore-within-rto',
    'no timed restore',
    backups(backupItem('resource:default/chat-db', { ageHours: 3 })),
    'no-data',
    'no successful restore test to time',
  ],
  [
    'backups-restore-within-rto',
    'nothing to back up',
    nothingToBackUp,
    'not-applicable',
  ],
  ['backups-restore-within-rto', 'no backup facts', {}, 'no-data'],

  ['health-alert-rules', 'a series in Prometheus', health(), 'pass'],
  [
    'health-alert-rules',
    'no series',
    health({ uptime: null }),
    'fail',
    'the monitoring has no series for service=svc',
  ],
  [
    'health-alert-rules',
    'a malformed selector',
    health({ uptime: null, selector: undefined }),
    'fail',
    'its platform-portal.dev/alert-selector annotation is malformed',
  ],
  [
    'health-alert-rules',
    'a mobile app',
    mobileApp,
    'not-applicable',
    'a mobile-app has no server of its own to monitor',
  ],
  [
    'health-alert-rules',
    'no health facts',
    {},
    'no-data',
    /no platformHealth facts/,
  ],
  ['health-uptime-slo', '99.95 %', health(), 'pass'],
  ['health-uptime-slo', 'exactly 99.9 %', health({ uptime: 0.999 }), 'pass'],
  [
    'health-uptime-slo',
    '99.5 %',
    health({ uptime: 0.995 }),
    'fail',
    '99.50 % over 30 days, objective 99.9 %: 216 min down, 43 min allowed',
  ],
  [
    'health-uptime-slo',
    'no series',
    health({ uptime: null }),
    'no-data',
    'the monitoring has no series for service=svc',
  ],
  ['health-uptime-slo', 'a mobile app', mobileApp, 'not-applicable'],
  ['health-uptime-slo', 'no health facts', {}, 'no-data'],
  ['health-mttr', 'MTTR 20 min', health(), 'pass'],
  [
    'health-mttr',
    'no incidents',
    health({ reliability: { windowDays: 30, incidents: 0 } }),
    'pass',
  ],
  [
    'health-mttr',
    'MTTR 90 min',
    health({
      reliability: { windowDays: 30, incidents: 3, mttrSeconds: 5400 },
    }),
    'fail',
    'incidents in 30 days is 3, target = 0; MTTR (min) is 90, target < 60',
  ],
  [
    'health-mttr',
    'one incident, still open',
    health({ reliability: { windowDays: 30, incidents: 1 } }),
    'fail',
    /1 incident\(s\) in 30 days, none resolved yet/,
  ],
  ['health-mttr', 'a mobile app', mobileApp, 'not-applicable'],
  ['health-mttr', 'no health facts', {}, 'no-data'],

  ['quality-line-coverage', '86.5 %', quality(), 'pass'],
  [
    'quality-line-coverage',
    'exactly 80 %',
    quality({ lineCoverage: 80 }),
    'pass',
  ],
  [
    'quality-line-coverage',
    '62 %',
    quality({ lineCoverage: 62 }),
    'fail',
    '62 % of lines, target 80 %',
  ],
  [
    'quality-line-coverage',
    'never reported',
    quality(null),
    'no-data',
    'no coverage report (scripts/report-coverage)',
  ],
  ['quality-line-coverage', 'no quality facts', {}, 'no-data'],
  ['quality-critical-paths', 'all covered', quality(), 'pass'],
  [
    'quality-critical-paths',
    '92 %',
    quality({ criticalPathsCoverage: 92 }),
    'fail',
    '92 % of critical-path lines, target 100 %',
  ],
  [
    'quality-critical-paths',
    'no annotation',
    quality({ criticalPathsCoverage: null, criticalPathFiles: 0 }),
    'no-data',
    'no platform-portal.dev/critical-paths annotation',
  ],
  [
    'quality-critical-paths',
    'globs that match no file',
    quality({ criticalPathFiles: 0 }),
    'no-data',
    'no file of the latest report matches the critical-path globs',
  ],
  ['quality-critical-paths', 'no quality facts', {}, 'no-data'],
  ['quality-no-critical-in-production', 'none', quality(), 'pass'],
  [
    'quality-no-critical-in-production',
    'two',
    quality({}, { critical: 2 }),
    'fail',
    '2 CRITICAL in production version main-abc1234',
  ],
  [
    'quality-no-critical-in-production',
    'production version never scanned',
    quality({}, { scanned: false }),
    'no-data',
    'production version main-abc1234 was never scanned (scripts/report-scan)',
  ],
  [
    'quality-no-critical-in-production',
    'nothing live in production',
    quality({}, null),
    'no-data',
    'no version live in production',
  ],
  ['quality-no-critical-in-production', 'no quality facts', {}, 'no-data'],
  ['quality-no-old-high', 'HIGHs younger than 30 days', quality(), 'pass'],
  [
    'quality-no-old-high',
    'one HIGH open 45 days',
    quality({}, { highOlderThan: 1, oldestHighDays: 45 }),
    'fail',
    '1 HIGH open in production for more than 30 days (oldest 45 days)',
  ],
  [
    'quality-no-old-high',
    'production version never scanned',
    quality({}, { scanned: false }),
    'no-data',
  ],
  ['quality-no-old-high', 'no quality facts', {}, 'no-data'],
];

// Quality applies to every Component (a mobile app is tested and ships a
// build too): like catalog and docs, it has no not-applicable case.
const ALWAYS_APPLICABLE = new Set(['catalog', 'docs', 'quality']);

it('has a pass, fail, not-applicable (where it can) and no-data case for every configured check', () => {
  for (const check of checks) {
    const kinds = new Set(cases.filter(c => c[0] === check.id).map(c => c[3]));
    const expected = ALWAYS_APPLICABLE.has(check.category)
      ? ['pass', 'fail', 'no-data']
      : ['pass', 'fail', 'not-applicable', 'no-data'];
    expect({ check: check.id, kinds: [...kinds].sort() }).toEqual({
      check: check.id,
      kinds: expected.sort(),
    });
  }
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'the configured checks on %s',
  id => {
    let run: (
      facts: Facts,
      checkId: string,
    ) => Promise<TechInsightsCheckResult[]>;

    beforeAll(async () => {
      const knex = await databases.init(id);
      const logger = mockServices.logger.mock();
      const { techInsightsStore } = await initializePersistenceContext(
        mockServices.database({ knex, migrations: { skip: false } }),
        { logger },
      );
      const unused = {
        getJson: async () => {
          throw new Error('not read in this test');
        },
      };
      for (const source of [
        createDeploysFactSource({ client: unused }),
        createBackupsFactSource({
          client: unused,
          catalog: {} as any,
          auth: {} as any,
        }),
        createCatalogFactSource({ catalog: {} as any, auth: {} as any }),
        createHealthFactSource({ client: unused }),
        createQualityFactSource({ client: unused }),
      ]) {
        const { handler: _handler, ...schema } =
          createPlatformFactRetriever(source);
        await techInsightsStore.insertFactSchema(schema);
      }
      const checker = JsonRulesEngineFactCheckerFactory.fromConfig(appConfig, {
        logger,
      }).construct(techInsightsStore);
      let n = 0;
      run = async (facts, checkId) => {
        n += 1;
        const entity = {
          kind: 'component',
          namespace: 'default',
          name: `case-${n}`,
        };
        for (const [retrieverId, value] of Object.entries(facts)) {
          await techInsightsStore.insertFacts({
            id: retrieverId,
            facts: [
              {
                entity,
                timestamp: DateTime.fromJSDate(AT),
                facts: value as any,
              },
            ],
          });
        }
        return (await checker.runChecks(`component:default/case-${n}`, [
          checkId,
        ])) as unknown as TechInsightsCheckResult[];
      };
    });

    it.each(cases)('%s: %s', async (...row: Case) => {
      const [checkId, , facts, expected, why] = row;
      const check = checks.find(c => c.id === checkId)!;
      expect(check).toBeDefined();
      const results = await run(facts, checkId);
      const answer = results.find(r => r.check.id === checkId);
      const result = interpretCheck(check, answer);
      let whyMatches = typeof result.why === 'string';
      if (expected === 'pass') whyMatches = result.why === undefined;
      if (typeof why === 'string') whyMatches = result.why === why;
      if (why instanceof RegExp) whyMatches = why.test(result.why ?? '');
      // the why is shown in full when it does not match
      expect({ result: result.result, why: result.why, whyMatches }).toEqual({
        result: expected,
        why: result.why,
        whyMatches: true,
      });
      expect(result.fix?.url).toMatch(
        /^\/docs\/default\/system\/platform-portal\/runbooks\//,
      );
    });
  },
);
