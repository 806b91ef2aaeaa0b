import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DeploymentEventSink } from '@platform-portal/backstage-plugin-platform-deploy-node';
import {
  audited,
  createErrorFilter,
  parseOrThrow,
  TrustedLocations,
} from '@platform-portal/backstage-plugin-platform-node';
import express from 'express';
import Router from 'express-promise-router';
import {
  githubDeploymentPayloadSchema,
  githubDeploymentStatusPayloadSchema,
  isDeploymentEvent,
  mapGithubEvent,
} from './mapGithubEvent';
import { verifySignature } from './verifySignature';

/** Where GitHub delivers, under `/api/platform-deploy`. */
export const WEBHOOK_PATH = '/v1/webhooks/github';

/** Largest accepted delivery; GitHub caps payloads at 25 MB, deployments are a few KB. */
const MAX_BODY_SIZE = '1mb';

/**
 * `POST /v1/webhooks/github`: verifies the delivery's signature, maps a
 * `deployment` or `deployment_status` event to a deployment event and hands
 * it to the plugin's sink. Errors are thrown, and answered by Backstage's
 * error handler in the portal's format:
 *
 * - 503 `ServiceUnavailableError`: no secret configured, or the plugin has
 *   not connected the source yet;
 * - 401 `AuthenticationError`: a missing or wrong `X-Hub-Signature-256`;
 * - 400 `InputError`: a body that is not JSON, a payload of the wrong shape
 *   (`deployment.id: ...`), an event the plugin refuses (`events[0].version: ...`);
 * - 202 `{ ignored }`: other events, unknown repositories, untracked
 *   environments and states (nothing stored).
 *
 * A repository maps to the entity `repositories` names for it, else to the
 * Components from trusted locations whose `github.com/project-slug` is the
 * repository: any signed-in user may register a Component that claims a
 * repository, and such a claim is never used.
 */
export function createWebhookRouter(options: {
  /** The webhook secret; undefined when none is configured. */
  secret?: string;
  /** The plugin's sink, once it has connected the source. */
  sink: () => DeploymentEventSink | undefined;
  /** GitHub environment name to ours. */
  aliases: Record<string, string>;
  /** Repository full name (lower case) to the entity ref it reports for. */
  repositories?: Map<string, string>;
  /** Whose slugs count: entities from these locations. */
  trustedLocations: TrustedLocations;
  catalog: CatalogService;
  auth: AuthService;
  auditor: AuditorService;
  logger: LoggerService;
}): express.Router {
  const { secret, aliases, catalog, auth, auditor, logger, trustedLocations } =
    options;
  const repositories = options.repositories ?? new Map<string, string>();
  const router = Router();

  /**
   * The entities a repository maps to: the one the config map names, else
   * the Components from trusted locations whose `github.com/project-slug`
   * is the repository; and the untrusted ones that claim it (never used).
   */
  async function entitiesForRepo(
    repository: string,
  ): Promise<{ trusted: string[]; untrusted: string[] }> {
    const mapped = repositories.get(repository.toLocaleLowerCase('en-US'));
    if (mapped) return { trusted: [mapped], untrusted: [] };
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: 'component',
          'metadata.annotations.github.com/project-slug': repository,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const trusted = items.filter(e => trustedLocations.isTrusted(e));
    return {
      trusted: trusted.map(e => stringifyEntityRef(e)),
      untrusted: items
        .filter(e => !trusted.includes(e))
        .map(e => stringifyEntityRef(e)),
    };
  }

  router.post(
    WEBHOOK_PATH,
    express.raw({ type: () => true, limit: MAX_BODY_SIZE }),
    async (req, res) => {
      if (!secret) {
        throw new ServiceUnavailableError(
          'GitHub webhook secret is not configured: set platformDeploy.github.webhookSecret or PLATFORM_GITHUB_WEBHOOK_SECRET',
        );
      }
      const sink = options.sink();
      if (!sink) {
        throw new ServiceUnavailableError(
          'The platform-deploy plugin has not connected the GitHub source yet',
        );
      }
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verifySignature(secret, raw, req.header('x-hub-signature-256'))) {
        logger.warn(
          'Rejected GitHub webhook with a missing or wrong signature',
        );
        throw new AuthenticationError(
          'X-Hub-Signature-256 is missing or wrong',
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new InputError('body: not valid JSON');
      }
      const eventName = req.header('x-github-event') ?? '';
      if (!isDeploymentEvent(eventName)) {
        res
          .status(202)
          .json({ ignored: `event ${eventName} is not a deployment event` });
        return;
      }
      const payload = parseOrThrow(
        eventName === 'deployment_status'
          ? githubDeploymentStatusPayloadSchema
          : githubDeploymentPayloadSchema,
        body,
      );
      const repository = payload.repository.full_name;
      const candidates = await entitiesForRepo(repository);
      if (candidates.untrusted.length > 0) {
        logger.warn(
          'Entities from untrusted locations claim a repository; not used',
          { repository, entityRefs: candidates.untrusted.join(', ') },
        );
      }
      const mapped = mapGithubEvent({
        eventName,
        payload,
        environments: sink.environments,
        aliases,
        entityRefsForRepo: candidates.trusted,
        untrustedClaims: candidates.untrusted,
      });
      if ('ignored' in mapped) {
        res.status(202).json({ ignored: mapped.ignored });
        return;
      }
      // who (the GitHub delivery) wrote what: one audit line per delivery
      const result = await audited(
        auditor,
        { eventId: 'github-deployment-webhook', request: req },
        async () => {
          const stored = await sink.ingest([mapped.event], {
            source: 'github',
          });
          return {
            result: stored,
            meta: {
              delivery: req.header('x-github-delivery') ?? null,
              repository,
              entityRef: mapped.event.entityRef,
              environment: mapped.event.environment,
              status: mapped.event.status,
              ...stored,
            },
          };
        },
      );
      res.status(200).json(result);
    },
  );
  router.use(createErrorFilter(logger));
  return router;
}
