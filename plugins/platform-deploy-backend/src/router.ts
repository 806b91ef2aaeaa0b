import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  createErrorFilter,
  createIngestRateLimit,
} from '@platform-portal/backstage-plugin-platform-node';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  describeZodError,
  deploymentEventBatchSchema,
  deploymentEventInputSchema,
  historyQuerySchema,
  metricsQuerySchema,
  overviewQuerySchema,
  platformDeployIngestPermission,
  platformDeployReadPermission,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { DeploymentService } from './service/DeploymentService';

/** Largest accepted request body: a full batch of events fits comfortably. */
export const MAX_BODY_SIZE = '1mb';

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(describeZodError(result.error));
  }
  return result.data;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  deployments: DeploymentService;
  /** Ingest requests per token per minute; default 600. */
  ingestRequestsPerMinute?: number;
}): Promise<express.Router> {
  const { httpAuth, permissions, auditor, deployments } = options;
  const router = Router();
  router.use(express.json({ limit: MAX_BODY_SIZE }));

  async function authorize(
    req: Request,
    permission: BasicPermission,
    allow: Array<'user' | 'service'>,
  ) {
    const credentials = await httpAuth.credentials(req, { allow });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  }

  // Ingest: CI and cron jobs with a service token (external access), never users.
  const ingestRateLimit = createIngestRateLimit({
    httpAuth,
    limit: options.ingestRequestsPerMinute,
  });

  router.post('/v1/events', ingestRateLimit, async (req, res) => {
    await authorize(req, platformDeployIngestPermission, ['service']);
    // Who reported what: one audit line per request (the auditor adds the caller).
    const auditorEvent = await auditor.createEvent({
      eventId: 'deployment-events-report',
      severityLevel: 'medium',
      request: req,
    });
    try {
      const isBatch =
        typeof req.body === 'object' &&
        req.body !== null &&
        'events' in req.body;
      const inputs = isBatch
        ? parse(deploymentEventBatchSchema, req.body).events
        : [parse(deploymentEventInputSchema, req.body)];
      const result = await deployments.ingest(inputs, {
        source: 'http',
        fieldPrefix: isBatch ? i => `events[${i}].` : undefined,
      });
      await auditorEvent.success({
        meta: {
          entityRefs: [...new Set(inputs.map(i => i.entityRef))].slice(0, 50),
          environments: [...new Set(inputs.map(i => i.environment))],
          ...result,
        },
      });
      res.status(200).json(result);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/v1/overview', async (req, res) => {
    await authorize(req, platformDeployReadPermission, ['user', 'service']);
    res.json(await deployments.overview(parse(overviewQuerySchema, req.query)));
  });

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    await authorize(req, platformDeployReadPermission, ['user', 'service']);
    const { kind, namespace, name } = req.params;
    const query = parse(historyQuerySchema, req.query);
    const entityRef = `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    res.json(await deployments.entity(entityRef, query));
  });

  router.get('/v1/metrics', async (req, res) => {
    await authorize(req, platformDeployReadPermission, ['user', 'service']);
    res.json(await deployments.metrics(parse(metricsQuerySchema, req.query)));
  });

  router.use(createErrorFilter(options.logger));
  return router;
}
