import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { platformDeployCostsReadPermission } from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  authorize,
  parseOrThrow,
} from '@platform-portal/backstage-plugin-platform-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { CostService } from './CostService';

export const COSTS_PATH = '/v1/costs';

const costsQuerySchema = z
  .object({
    entityRef: z
      .string()
      .max(255)
      .transform((value, ctx) => {
        try {
          return stringifyEntityRef(
            parseEntityRef(value, { defaultKind: 'component' }),
          );
        } catch {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message:
              'must be an entity ref such as component:default/chat-backend',
          });
          return z.NEVER;
        }
      })
      .optional(),
  })
  .strict();

/**
 * `GET /v1/costs` (the report) and `GET /v1/costs?entityRef=` (one
 * component), for signed-in users and services with `platform-deploy.costs.read`.
 * Without a cost model in config, both answer 404 and say what to configure.
 */
export function createCostsRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  costs?: CostService;
}): express.Router {
  const { httpAuth, permissions, costs } = options;
  const router = Router();

  router.get(COSTS_PATH, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, credentials, {
      permission: platformDeployCostsReadPermission,
    });
    const { entityRef } = parseOrThrow(costsQuerySchema, req.query, {
      prefix: 'query',
    });
    if (!costs) {
      throw new NotFoundError(
        'No cost model: configure platformDeploy.costs (servers, fixed costs) in app-config.yaml',
      );
    }
    res.json(entityRef ? await costs.entity(entityRef) : await costs.report());
  });

  return router;
}
