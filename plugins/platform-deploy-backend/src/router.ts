import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  authorize,
  createErrorFilter,
  createReportHandlers,
  distinctSample,
  IngestScopes,
  jsonBody,
  parseOrThrow,
} from '@platform-portal/backstage-plugin-platform-node';
import {
  MAX_BATCH_EVENTS,
  deploymentEventBatchSchema,
  deploymentEventInputSchema,
  entityFactsQuerySchema,
  historyQuerySchema,
  metricsQuerySchema,
  overviewQuerySchema,
  platformDeployIngestPermission,
  platformDeployReadPermission,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { DeploymentService } from './service/types';

/** Largest accepted request body: a full batch of events fits comfortably. */
export const MAX_BODY_SIZE = '1mb';

/**
 * `POST /v1/events` for CI and other services (never users), each
 * credential for the entities its ingest scope names, and the read API for
 * signed-in users and services with `platform-deploy.read`.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  deployments: DeploymentService;
  /** What each ingest credential may report for (`platformPortal.ingest.credentials`). */
  ingestScopes: IngestScopes;
  /** Reported events per credential per minute; default 6000. */
  ingestEventsPerMinute?: number;
}): Promise<express.Router> {
  const { httpAuth, permissions, auditor, deployments, ingestScopes } = options;
  const router = Router();
  router.use(
    jsonBody({
      limit: MAX_BODY_SIZE,
      hint: `send at most ${MAX_BATCH_EVENTS} events per request`,
    }),
  );

  const reader = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, credentials, {
      permission: platformDeployReadPermission,
    });
  };

  // Ingest: CI and cron jobs with a service token (external access), never
  // users, each for the entities its ingest scope names; the limit counts
  // events per credential, not requests.
  router.post(
    '/v1/events',
    ...createReportHandlers({
      httpAuth,
      permissions,
      auditor,
      ingestScopes,
      permission: platformDeployIngestPermission,
      eventId: 'deployment-events-report',
      batchKey: 'events',
      single: deploymentEventInputSchema,
      batch: deploymentEventBatchSchema,
      reportsPerMinute: options.ingestEventsPerMinute,
      ingest: (events, ingestOptions) =>
        deployments.ingest(events, ingestOptions),
      auditMeta: events => ({
        environments: distinctSample(events.map(e => e.environment)),
      }),
    }),
  );

  router.get('/v1/overview', async (req, res) => {
    await reader(req);
    const query = parseOrThrow(overviewQuerySchema, req.query, {
      prefix: 'query',
    });
    res.json(await deployments.overview(query));
  });

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    await reader(req);
    const query = parseOrThrow(historyQuerySchema, req.query, {
      prefix: 'query',
    });
    const { kind, namespace, name } = req.params;
    const entityRef = `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    res.json(await deployments.entity(entityRef, query));
  });

  router.get('/v1/metrics', async (req, res) => {
    await reader(req);
    const query = parseOrThrow(metricsQuerySchema, req.query, {
      prefix: 'query',
    });
    res.json(await deployments.metrics(query));
  });

  // Every deployable entity's production figures in one response, for
  // other plugins (the readiness scorecards' fact retriever): services only.
  router.get('/v1/entity-facts', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    await authorize(permissions, credentials, {
      permission: platformDeployReadPermission,
    });
    const query = parseOrThrow(entityFactsQuerySchema, req.query, {
      prefix: 'query',
    });
    res.json(await deployments.entityFacts(query));
  });

  router.use(createErrorFilter(options.logger));
  return router;
}
