import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readTrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import {
  DeploymentEventSink,
  platformDeploySourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-platform-deploy-node';
import { createWebhookRouter, WEBHOOK_PATH } from './createWebhookRouter';

/**
 * `platformDeploy.github.repositories`: repository full name (any case) to
 * the entity ref it reports for (kind and namespace default to `component`
 * and `default`), keyed in lower case. A ref that does not parse fails the
 * start, naming the key.
 */
function readRepositories(config: Config): Map<string, string> {
  // Read as a whole: a repository's full name (`owner/name`) is not a valid
  // config key for the config reader's getters.
  const raw = config.getOptional('platformDeploy.github.repositories') ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      'platformDeploy.github.repositories must map repository full names to entity refs',
    );
  }
  const repositories = new Map<string, string>();
  for (const [repository, value] of Object.entries(raw)) {
    let ref: string | undefined;
    try {
      ref =
        typeof value === 'string'
          ? stringifyEntityRef(
              parseEntityRef(value, {
                defaultKind: 'component',
                defaultNamespace: 'default',
              }),
            )
          : undefined;
    } catch {
      ref = undefined;
    }
    if (!ref) {
      throw new Error(
        `platformDeploy.github.repositories.${repository}: ${JSON.stringify(
          value,
        )} is not an entity reference`,
      );
    }
    repositories.set(repository.toLocaleLowerCase('en-US'), ref);
  }
  return repositories;
}

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

        httpRouter.use(
          createWebhookRouter({
            secret:
              config.getOptionalString('platformDeploy.github.webhookSecret') ??
              process.env.PLATFORM_GITHUB_WEBHOOK_SECRET,
            sink: () => sink,
            aliases,
            repositories: readRepositories(config),
            trustedLocations: readTrustedLocations(config),
            catalog,
            auth,
            auditor,
            logger,
          }),
        );
        httpRouter.addAuthPolicy({
          path: WEBHOOK_PATH,
          allow: 'unauthenticated',
        });
      },
    });
  },
});
