import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  authorize,
  createErrorFilter,
  parseOrThrow,
} from '@platform-portal/backstage-plugin-platform-node';
import {
  entitiesQuerySchema,
  overviewQuerySchema,
  ReadinessOverview,
  readinessReadPermission,
  ReadinessSummary,
  ReadinessTrend,
  summaryQuerySchema,
  trendQuerySchema,
} from '@platform-portal/backstage-plugin-readiness-common';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { pageEntities } from './service/overviewViews';
import { CachedBody } from './service/responseCache';
import { ReadinessService } from './service/types';

/** Sends a cached JSON body: gzipped when the client takes it, 304 on a matching ETag. */
function sendCached(req: Request, res: Response, body: CachedBody<unknown>) {
  res.setHeader('ETag', body.etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === body.etag) {
    res.status(304).end();
    return;
  }
  res.type('application/json');
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    // already compressed: the compression middleware leaves it as it is
    res.setHeader('Content-Encoding', 'gzip');
    res.send(body.gzip);
  } else {
    res.send(body.json);
  }
}

/** One CSV field: quoted when it holds a comma, quote or line break; formulas defused. */
function csvField(value: string | null | undefined): string {
  let v = value ?? '';
  // a cell starting with = + - @ is a formula to a spreadsheet
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** `entityRef,title,system,owner,level,failing` (failing joined with `;`). */
export function overviewCsv(overview: ReadinessOverview): string {
  const lines = ['entityRef,title,system,owner,level,failing'];
  for (const item of overview.items) {
    lines.push(
      [
        item.entityRef,
        item.title,
        item.system,
        item.owner,
        item.level,
        item.failing.join(';'),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The read API for signed-in users and services with `readiness.read`. */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  readiness: ReadinessService;
  /** The overview, built once per evaluation (see `createResponseCache`). */
  overview: { get(): Promise<CachedBody<ReadinessOverview>> };
  /** The overview without its items, with the heatmaps, likewise. */
  summary: { get(): Promise<CachedBody<ReadinessSummary>> };
  /** The trend of a number of days, likewise. */
  trend: { get(days: number): Promise<CachedBody<ReadinessTrend>> };
}): Promise<express.Router> {
  const { httpAuth, permissions, readiness, overview, summary, trend } =
    options;
  const router = Router();

  const reader = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, credentials, {
      permission: readinessReadPermission,
    });
  };

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    await reader(req);
    const { kind, namespace, name } = req.params;
    // refs as stringifyEntityRef writes them: kind and namespace lower case
    const entityRef = `${kind.toLocaleLowerCase(
      'en-US',
    )}:${namespace.toLocaleLowerCase('en-US')}/${name}`;
    res.json(await readiness.entity(entityRef));
  });

  router.get('/v1/overview', async (req, res) => {
    await reader(req);
    parseOrThrow(overviewQuerySchema, req.query, { prefix: 'query' });
    sendCached(req, res, await overview.get());
  });

  // What the readiness page reads: the summary, and the entities a page at a
  // time, filtered in memory (the whole overview is 16 MB at 100,000).
  router.get('/v1/summary', async (req, res) => {
    await reader(req);
    parseOrThrow(summaryQuerySchema, req.query, { prefix: 'query' });
    sendCached(req, res, await summary.get());
  });

  router.get('/v1/entities', async (req, res) => {
    await reader(req);
    const query = parseOrThrow(entitiesQuerySchema, req.query, {
      prefix: 'query',
    });
    res.json(pageEntities((await overview.get()).value.items, query));
  });

  router.get('/v1/overview.csv', async (req, res) => {
    await reader(req);
    parseOrThrow(overviewQuerySchema, req.query, { prefix: 'query' });
    const csv = overviewCsv((await overview.get()).value);
    res.type('text/csv; charset=utf-8').attachment('readiness.csv').send(csv);
  });

  router.get('/v1/trend', async (req, res) => {
    await reader(req);
    const { days } = parseOrThrow(trendQuerySchema, req.query, {
      prefix: 'query',
    });
    sendCached(req, res, await trend.get(days));
  });

  router.use(createErrorFilter(options.logger));
  return router;
}
