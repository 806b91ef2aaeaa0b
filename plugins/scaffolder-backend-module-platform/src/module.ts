import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readCostsConfig } from '@platform-portal/backstage-plugin-platform-deploy-node';
import { createInfraRenderAction } from './actions/infra/createInfraRenderAction';
import { createGitopsRenderAction } from './actions/gitops/createGitopsRenderAction';
import { createGitopsSetImageAction } from './actions/gitops/createGitopsSetImageAction';

/**
 * The platform portal's scaffolder actions: `platform:infra:render`,
 * `platform:gitops:render` and `platform:gitops:set-image`. The cost
 * estimate reads the same `platformDeploy.costs` as the cost views.
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
      },
      async init({ scaffolder, config, permissions }) {
        scaffolder.addActions(
          createInfraRenderAction({
            costModel: readCostsConfig(config)?.model,
          }),
          createGitopsRenderAction(),
          createGitopsSetImageAction({ permissions }),
        );
      },
    });
  },
});
