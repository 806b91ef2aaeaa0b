import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  DeploymentEventSink,
  platformDeploySourcesExtensionPoint,
} from '@platform-portal/backstage-plugin-platform-deploy-node';
import { createWebhookRouter, WEBHOOK_PATH } from './createWebhookRouter';

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
