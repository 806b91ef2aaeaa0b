import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readTrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import { readCostsConfig } from '@platform-portal/backstage-plugin-platform-deploy-node';
import { createInfraRenderAction } from './actions/infra/createInfraRenderAction';
import { createGitopsRenderAction } from './actions/gitops/createGitopsRenderAction';
import { createGitopsLocateAction } from './actions/gitops/createGitopsLocateAction';
import { createPortalInfoAction } from './actions/portal/createPortalInfoAction';
import { createRepoCheckAction } from './actions/portal/createRepoCheckAction';
import { createGitopsSetImageAction } from './actions/gitops/createGitopsSetImageAction';

/**
 * The platform portal's scaffolder actions: `platform:infra:render`,
 * `platform:gitops:render`, `platform:gitops:locate`,
 * `platform:gitops:set-image`, `platform:repo:check` (the repositories a
 * template may publish to, `platformPortal.scaffolder`) and
 * `platform:portal:info` (the portal's URLs from config). The cost estimate reads the same
 * `platformDeploy.costs` as the cost views; locate and set-image act only on
 * catalog entities from trusted locations (the backend kit's
 * `readTrustedLocations`).
 *
 * @public
 */
export const scaffolderModulePlatform = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'platform',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, permissions, catalog }) {
        const target = {
          catalog,
          trustedLocations: readTrustedLocations(config),
        };
        scaffolder.addActions(
          createInfraRenderAction({
            costModel: readCostsConfig(config)?.model,
          }),
          createGitopsRenderAction({
            portalUrl: config.getOptionalString('app.baseUrl'),
          }),
          createRepoCheckAction({ config }),
          createPortalInfoAction({ config }),
          createGitopsLocateAction(target),
          createGitopsSetImageAction({ permissions, ...target }),
        );
      },
    });
  },
});
