import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeploymentEventSink,
  platformDeploySourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-platform-deploy-node';
import { describeZodError } from '@platform-portal/backstage-plugin-platform-deploy-common';
import express from 'express';
import Router from 'express-promise-router';
import { createErrorFilter } from '@platform-portal/backstage-plugin-platform-node';
import {
  githubDeploymentPayloadSchema,
  mapGithubEvent,
} from './mapGithubEvent';
import { verifySignature } from './verifySignature';

export const WEBHOOK_PATH = '/v1/webhooks/github';

/**
 * Receives GitHub `deployment` and `deployment_status` webhooks at
 * `POST /api/platform-deploy/v1/webhooks/github`, verified with
 * `X-Hub-Signature-256`.
 *
 * @public
 */
export const platformDeployModuleGithub = createBackendModule({
  pluginId: 'platform-deploy',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        sources: platformDeploySourcesExtensionPoint,
      },
      async init({
        auth,
        auditor,
        catalog,
        config,
        httpRouter,
        logger,
        sources,
      }) {
        const secret =
          config.getOptionalString('platformDeploy.github.webhookSecret') ??
          process.env.PLATFORM_GITHUB_WEBHOOK_SECRET;
        const aliasConfig = config.getOptionalConfig(
          'platformDeploy.github.environmentAliases',
        );
        const aliases: Record<string, string> = {};
        for (const key of aliasConfig?.keys() ?? []) {
          aliases[key] = aliasConfig!.getString(key);
        }

        let sink: DeploymentEventSink | undefined;
        sources.addSource({
          id: 'github',
          connect(connected) {
            sink = connected;
          },
        });

        const router = Router();
        router.post(
          WEBHOOK_PATH,
          express.raw({ type: () => true, limit: '1mb' }),
          async (req, res) => {
            if (!secret || !sink) {
              res.status(503).json({
                error: {
                  name: 'ServiceUnavailable',
                  message: 'GitHub webhook secret is not configured',
                },
              });
              return;
            }
            const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
            if (
              !verifySignature(secret, raw, req.header('x-hub-signature-256'))
            ) {
              logger.warn(
                'Rejected GitHub webhook with a missing or wrong signature',
              );
              res.status(401).json({
                error: {
                  name: 'AuthenticationError',
                  message: 'X-Hub-Signature-256 is missing or wrong',
                },
              });
              return;
            }
            const eventName = req.header('x-github-event') ?? '';
            let payload;
            try {
              payload = JSON.parse(raw.toString('utf8'));
            } catch {
              res.status(400).json({
                error: { name: 'InputError', message: 'body: not JSON' },
              });
              return;
            }
            if (
              eventName === 'deployment' ||
              eventName === 'deployment_status'
            ) {
              const shape = githubDeploymentPayloadSchema.safeParse(payload);
              if (!shape.success) {
                res.status(400).json({
                  error: {
                    name: 'InputError',
                    message: describeZodError(shape.error),
                  },
                });
                return;
              }
            }
            const repo = payload?.repository?.full_name;
            let entityRefsForRepo: string[] = [];
            if (typeof repo === 'string') {
              const { items } = await catalog.getEntities(
                {
                  filter: {
                    kind: 'component',
                    'metadata.annotations.github.com/project-slug': repo,
                  },
                  fields: ['kind', 'metadata.name', 'metadata.namespace'],
                },
                { credentials: await auth.getOwnServiceCredentials() },
              );
              entityRefsForRepo = items.map(e => stringifyEntityRef(e));
            }
            const mapped = mapGithubEvent({
              eventName,
              payload,
              environments: sink.environments,
              aliases,
              entityRefsForRepo,
            });
            if ('ignored' in mapped) {
              res.status(202).json({ ignored: mapped.ignored });
              return;
            }
            const result = await sink.ingest([mapped.event], {
              source: 'github',
            });
            // who (the GitHub delivery) wrote what: one audit line per stored event
            const auditorEvent = await auditor.createEvent({
              eventId: 'github-deployment-webhook',
              severityLevel: 'medium',
              request: req,
              meta: {
                delivery: req.header('x-github-delivery'),
                repository: repo,
                entityRef: mapped.event.entityRef,
                environment: mapped.event.environment,
                status: mapped.event.status,
              },
            });
            await auditorEvent.success({ meta: result });
            res.status(200).json(result);
          },
        );
        router.use(createErrorFilter(logger));
        httpRouter.use(router);
        httpRouter.addAuthPolicy({
          path: WEBHOOK_PATH,
          allow: 'unauthenticated',
        });
      },
    });
  },
});
