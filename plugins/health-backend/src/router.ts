import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { AuthenticationError, NotFoundError } from '@backstage/errors';
import {
  alertmanagerWebhookSchema,
  createSilenceSchema,
  healthReadPermission,
  healthSilenceCreatePermission,
  overviewQuerySchema,
} from '@platform-portal/backstage-plugin-health-common';
import {
  audited,
  authorize,
  createErrorFilter,
  jsonBody,
  parseOrThrow,
} from '@platform-portal/backstage-plugin-platform-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { createHash, timingSafeEqual } from 'node:crypto';
import { HealthService } from './service/types';

/** The webhook's path; plugin.ts lets it through without a Backstage token. */
export const WEBHOOK_PATH = '/v1/alertmanager/webhook';

/** Whether the header carries the token; constant time in the token's content. */
export function bearerMatches(header: string | undefined, token: string) {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * The serialized body and ETag of each answer object the service hands out
 * again: the overview of the whole estate is one object until it expires
 * (5-6 MB of JSON at 10,000 services, about 40 ms to serialize and 10 ms to
 * hash), so it is serialized once, not per request.
 */
const serialized = new WeakMap<object, { body: string; etag: string }>();

function sendJson(res: express.Response, value: object) {
  let entry = serialized.get(value);
  if (!entry) {
    const body = JSON.stringify(value);
    entry = {
      body,
      etag: `W/"${createHash('sha1').update(body).digest('base64url')}"`,
    };
    serialized.set(value, entry);
  }
  res.set('ETag', entry.etag);
  // express answers 304 itself when the request's If-None-Match is fresh
  res.type('application/json').send(entry.body);
}

/**
 * The health API: entity alerts and incidents for signed-in users and
 * services with `health.read`, silences for those with
 * `health.silence.create` on the entity (owners and the platform team), and
 * Alertmanager's webhook, authenticated by its own bearer token.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  health: HealthService;
  webhookToken?: string;
}): Promise<express.Router> {
  const { httpAuth, permissions, auditor, health, webhookToken } = options;
  const router = Router();
  router.use(
    jsonBody({
      limit: '2mb',
      hint: 'Alertmanager sends at most 1000 alerts per notification',
    }),
  );

  const entityRef = (req: Request) =>
    stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });

  const reader = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, credentials, {
      permission: healthReadPermission,
    });
    return credentials;
  };

  router.get('/v1/entities/:kind/:namespace/:name/alerts', async (req, res) => {
    const credentials = await reader(req);
    res.json(await health.alertsOf(entityRef(req), credentials));
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/incidents',
    async (req, res) => {
      const credentials = await reader(req);
      res.json(await health.incidentsOf(entityRef(req), credentials));
    },
  );

  router.get('/v1/entities/:kind/:namespace/:name/uptime', async (req, res) => {
    const credentials = await reader(req);
    res.json(await health.uptimeOf(entityRef(req), credentials));
  });

  router.get('/v1/overview', async (req, res) => {
    const credentials = await reader(req);
    const query = parseOrThrow(overviewQuerySchema, req.query);
    sendJson(res, await health.overview(credentials, query));
  });

  router.post(
    '/v1/entities/:kind/:namespace/:name/silences',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const ref = entityRef(req);
      const silence = await audited(
        auditor,
        { eventId: 'silence-create', request: req },
        async () => {
          await authorize(permissions, credentials, {
            permission: healthSilenceCreatePermission,
            resourceRef: ref,
          });
          const body = parseOrThrow(createSilenceSchema, req.body);
          const result = await health.createSilence(ref, body, {
            createdBy: credentials.principal.userEntityRef,
            credentials,
          });
          return {
            result,
            meta: { entityRef: ref, silenceId: result.silenceId },
          };
        },
      );
      res.status(201).json(silence);
    },
  );

  router.post(WEBHOOK_PATH, async (req, res) => {
    if (!webhookToken) throw new NotFoundError('The webhook is not configured');
    if (!bearerMatches(req.header('authorization'), webhookToken)) {
      throw new AuthenticationError('Invalid webhook token');
    }
    const notification = parseOrThrow(alertmanagerWebhookSchema, req.body);
    const alerts = await health.recordNotification(notification);
    res.json({ alerts });
  });

  router.use(createErrorFilter(options.logger));
  return router;
}
