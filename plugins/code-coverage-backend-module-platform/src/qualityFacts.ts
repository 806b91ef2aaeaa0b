import {
  AuthService,
  coreServices,
  createBackendModule,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  authorize,
  createErrorFilter,
} from '@platform-portal/backstage-plugin-platform-node';
import {
  CoverageReport,
  CRITICAL_PATHS_ANNOTATION,
  EntityCoverageFacts,
  EntityCoverageFactsResponse,
  parseCriticalPaths,
  summarizeCoverage,
} from '@platform-portal/backstage-plugin-quality-common';
import { Knex } from 'knex';
import Router from 'express-promise-router';
import { codeCoverageReadPermission } from './ingestScope';

const DAY = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 1000;

type CoverageRow = { entity: string; coverage: string };

/** The latest report of every entity: one query (max index per entity). */
async function latestReports(knex: Knex): Promise<Map<string, CoverageReport>> {
  const rows: CoverageRow[] = await knex('code_coverage')
    .whereIn('index', knex('code_coverage').max('index').groupBy('entity'))
    .select('entity', 'coverage');
  const result = new Map<string, CoverageReport>();
  for (const row of rows) {
    try {
      result.set(
        row.entity.toLocaleLowerCase('en-US'),
        JSON.parse(row.coverage),
      );
    } catch {
      // a row the community backend could not read either; skip it
    }
  }
  return result;
}

/** The critical-path globs of every Component: paged catalog queries, two fields. */
async function criticalPathsOfComponents(
  catalog: CatalogService,
  auth: AuthService,
): Promise<Map<string, string[]>> {
  const credentials = await auth.getOwnServiceCredentials();
  const result = new Map<string, string[]>();
  const fields = [
    'kind',
    'metadata.namespace',
    'metadata.name',
    `metadata.annotations.${CRITICAL_PATHS_ANNOTATION}`,
  ];
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, limit: PAGE_SIZE, fields }
        : { filter: { kind: 'Component' }, limit: PAGE_SIZE, fields },
      { credentials },
    );
    for (const entity of page.items) {
      result.set(
        stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
        parseCriticalPaths(
          entity.metadata.annotations?.[CRITICAL_PATHS_ANNOTATION],
        ),
      );
    }
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return result;
}

/** The facts of every reported entity from its latest report and its globs. */
export function toCoverageFacts(
  reports: Map<string, CoverageReport>,
  globs: Map<string, string[]>,
): EntityCoverageFacts[] {
  return [...reports.entries()].map(([entityRef, report]) => {
    const summary = summarizeCoverage(report.files, globs.get(entityRef) ?? []);
    let lines = 0;
    let covered = 0;
    let branches = 0;
    let branchesCovered = 0;
    for (const f of report.files) {
      const hits = Object.values(f.lineHits);
      lines += hits.length;
      covered += hits.filter(h => h > 0).length;
      for (const b of Object.values(f.branchHits)) {
        branches += b.available ?? 0;
        branchesCovered += b.covered ?? 0;
      }
    }
    const pct = (n: number, d: number) =>
      d === 0 ? 0 : Math.round((n / d) * 10000) / 100;
    return {
      entityRef,
      lineCoverage: pct(covered, lines),
      branchCoverage: branches === 0 ? null : pct(branchesCovered, branches),
      criticalPathsCoverage: summary.criticalPaths?.percentage ?? null,
      criticalPathFiles: summary.criticalPaths?.files.length ?? 0,
      reportedAt: new Date(report.metadata.generationTime).toISOString(),
      demo: report.metadata.demo === true,
    };
  });
}

/** Small stable hash, so every entity gets its own but repeatable figures. */
function hash(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  return h;
}

const DEMO_FILES: Array<[string, number]> = [
  ['src/main.ts', 24],
  ['src/app.module.ts', 18],
  ['src/auth/auth.guard.ts', 40],
  ['src/auth/jwt.strategy.ts', 32],
  ['src/api/controller.ts', 90],
  ['src/api/service.ts', 140],
  ['src/db/repository.ts', 110],
  ['src/util/format.ts', 36],
];

/**
 * An LCOV report of the demo for one entity, `step` of `steps` (oldest
 * first): coverage climbs over the steps, to a level of the entity's own
 * (some services above 80 %, some below), with branches on every tenth line.
 */
export function demoLcov(
  entityRef: string,
  step: number,
  steps: number,
  options: { wellTested?: boolean } = {},
): string {
  const h = hash(entityRef);
  // a well-tested service ends at 92 % with its auth code fully tested
  const finalLevel = options.wellTested ? 0.92 : 0.6 + (h % 36) / 100; // 60..95 %
  const level = finalLevel - ((steps - 1 - step) * 0.08) / steps;
  const out: string[] = ['TN:'];
  DEMO_FILES.forEach(([file, count], fileIndex) => {
    // critical code (auth) of every other service is fully tested
    const fileLevel =
      file.startsWith('src/auth/') && (h % 2 === 0 || options.wellTested)
        ? 1
        : Math.min(
            1,
            Math.max(0, level + (((h >> fileIndex) % 21) - 10) / 100),
          );
    out.push(`SF:${file}`);
    for (let line = 1; line <= count; line++) {
      const hit = (line * 37 + fileIndex) % 100 < fileLevel * 100;
      out.push(`DA:${line},${hit ? 1 + (line % 4) : 0}`);
      if (line % 10 === 0) {
        out.push(`BRDA:${line},0,0,${hit ? 1 : 0}`);
        out.push(`BRDA:${line},0,1,${hit && line % 20 === 0 ? 1 : 0}`);
      }
    }
    out.push(`LF:${count}`, 'end_of_record');
  });
  return `${out.join('\n')}\n`;
}

/** Reports per entity in the demo's history (one every 3 days over 30). */
export const DEMO_STEPS = 10;

/**
 * Posts the demo's LCOV reports of every Component to the code-coverage
 * backend's own `POST /report` (its converter and store, as CI's reports
 * go), then dates each stored report back to its day in the last 30 and
 * marks it `metadata.demo`: the community backend stamps every report with
 * the time it arrived and has no field of its own for that. Only while no
 * other report exists.
 */
export async function feedDemoCoverage(options: {
  knex: Knex;
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  now: Date;
  /** Entities whose demo reports end well tested (`codeCoverage.demo.wellTested`). */
  wellTested?: string[];
}): Promise<{ stored: number }> {
  const { knex, auth, logger } = options;
  const wellTested = new Set(options.wellTested ?? []);
  const [{ count }] = await knex('code_coverage')
    .whereNot('coverage', 'like', '%"demo":true%')
    .count({ count: '*' });
  if (Number(count) > 0) {
    logger.info('Real coverage reports exist; not feeding demo coverage');
    return { stored: 0 };
  }
  const { items } = await options.catalog.getEntities(
    {
      filter: { kind: 'Component' },
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  const base = await options.discovery.getBaseUrl('code-coverage');
  let stored = 0;
  for (const entity of items) {
    const entityRef = stringifyEntityRef(entity);
    const [{ have }] = await knex('code_coverage')
      .where('entity', entityRef)
      .count({ have: '*' });
    for (let step = Number(have); step < DEMO_STEPS; step++) {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'code-coverage',
      });
      const query = new URLSearchParams({
        entity: entityRef,
        coverageType: 'lcov',
      });
      const res = await fetch(`${base}/report?${query}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/plain',
        },
        body: demoLcov(entityRef, step, DEMO_STEPS, {
          wellTested: wellTested.has(entityRef),
        }),
      });
      if (!res.ok) {
        throw new Error(
          `code-coverage answered ${
            res.status
          } for ${entityRef}: ${await res.text()}`,
        );
      }
      // the report just posted: the newest of the entity with the demo's
      // files not yet marked (a report CI posts meanwhile is left alone)
      const row = await knex('code_coverage')
        .where('entity', entityRef)
        .whereNot('coverage', 'like', '%"demo":true%')
        .andWhere('coverage', 'like', `%"${DEMO_FILES[1][0]}"%`)
        .orderBy('index', 'desc')
        .first();
      if (!row) continue;
      const coverage = JSON.parse(row.coverage);
      const at = options.now.getTime() - (DEMO_STEPS - 1 - step) * 3 * DAY;
      coverage.metadata = {
        ...coverage.metadata,
        generationTime: at,
        demo: true,
      };
      await knex('code_coverage')
        .where('index', row.index)
        .update({
          coverage: JSON.stringify(coverage),
          created_at: new Date(at),
        });
      stored += 1;
    }
  }
  if (stored > 0)
    logger.info('Fed demo coverage', { entities: items.length, stored });
  return { stored };
}

/**
 * What the portal adds to the community code-coverage backend for the
 * quality scorecards and the embedded default:
 *
 * - `GET /platform/v1/entity-facts` (services only, `code-coverage.read`):
 *   every reported entity's line, branch and critical-paths coverage of its
 *   latest report, from one query of the plugin's table and one paged
 *   catalog query (the `platform-portal.dev/critical-paths` globs).
 * - with `codeCoverage.demo.enabled` (the embedded default), the demo feed
 *   ({@link feedDemoCoverage}) on the scheduler.
 */
export const codeCoverageModuleQuality = createBackendModule({
  pluginId: 'code-coverage',
  moduleId: 'platform-quality',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const router = Router();
        router.get('/platform/v1/entity-facts', async (req, res) => {
          const credentials = await deps.httpAuth.credentials(req, {
            allow: ['service'],
          });
          await authorize(deps.permissions, credentials, {
            permission: codeCoverageReadPermission,
          });
          const knex = await deps.database.getClient();
          const [reports, globs] = await Promise.all([
            latestReports(knex),
            criticalPathsOfComponents(deps.catalog, deps.auth),
          ]);
          const body: EntityCoverageFactsResponse = {
            items: toCoverageFacts(reports, globs),
          };
          res.json(body);
        });
        router.use(createErrorFilter(deps.logger));
        deps.httpRouter.use(router);

        if (deps.config.getOptionalBoolean('codeCoverage.demo.enabled')) {
          await deps.scheduler.scheduleTask({
            id: 'code-coverage:demo-feed',
            frequency: { minutes: 5 },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 25 },
            scope: 'global',
            fn: async () => {
              await feedDemoCoverage({
                knex: await deps.database.getClient(),
                catalog: deps.catalog,
                auth: deps.auth,
                discovery: deps.discovery,
                logger: deps.logger,
                now: new Date(),
                wellTested: deps.config.getOptionalStringArray(
                  'codeCoverage.demo.wellTested',
                ),
              });
            },
          });
        }
      },
    });
  },
});
