import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
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
  deployments: DeploymentService;
}): Promise<express.Router> {
  const { httpAuth, permissions, deployments } = options;
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
  router.post('/v1/events', async (req, res) => {
    await authorize(req, platformDeployIngestPermission, ['service']);
    const isBatch =
      typeof req.body === 'object' && req.body !== null && 'events' in req.body;
    const inputs = isBatch
      ? parse(deploymentEventBatchSchema, req.body).events
      : [parse(deploymentEventInputSchema, req.body)];
    const result = await deployments.ingest(inputs, {
      source: 'http',
      fieldPrefix: isBatch ? i => `events[${i}].` : undefined,
    });
    res.status(200).json(result);
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

  return router;
}
