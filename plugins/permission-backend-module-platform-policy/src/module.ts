import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PlatformPermissionPolicy } from './PlatformPermissionPolicy';

const DEFAULT_PLATFORM_TEAMS = ['group:default/platform-team'];
const DEFAULT_READ_ONLY_USERS = ['user:development/guest'];

/**
 * Installs {@link PlatformPermissionPolicy} as the permission backend's policy.
 *
 * @public
 */
export const permissionModulePlatformPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'platform-policy',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
      },
      async init({ config, logger, policy, userInfo }) {
        const platformTeams =
          config.getOptionalStringArray('platformPolicy.platformTeams') ??
          DEFAULT_PLATFORM_TEAMS;
        const readOnlyUsers =
          config.getOptionalStringArray('platformPolicy.readOnlyUsers') ??
          DEFAULT_READ_ONLY_USERS;
        logger.info('Platform permission policy installed', {
          platformTeams: platformTeams.join(','),
          readOnlyUsers: readOnlyUsers.join(','),
        });
        policy.setPolicy(
          new PlatformPermissionPolicy(userInfo, {
            platformTeams,
            readOnlyUsers,
          }),
        );
      },
    });
  },
});
