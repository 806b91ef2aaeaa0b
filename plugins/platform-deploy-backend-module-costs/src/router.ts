import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  describeZodError,
  platformDeployCostsReadPermission,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
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
    const [decision] = await permissions.authorize(
      [{ permission: platformDeployCostsReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${platformDeployCostsReadPermission.name}`,
      );
    }
    const parsed = costsQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      throw new InputError(describeZodError(parsed.error));
    }
    if (!costs) {
      throw new NotFoundError(
        'No cost model: configure platformDeploy.costs (servers, fixed costs) in app-config.yaml',
      );
    }
    const { entityRef } = parsed.data;
    res.json(entityRef ? await costs.entity(entityRef) : await costs.report());
  });

  return router;
}
