import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import { templateManagementPermission } from '@backstage/plugin-scaffolder-common/alpha';
import {
  platformDeployChangePermission,
  platformDeployIngestPermission,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { backupStatusIngestPermission } from '@platform-portal/backstage-plugin-backup-status-common';

/** Who the policy treats specially. @public */
export interface PlatformPolicyOptions {
  /** Groups whose members may do everything (entity refs). */
  platformTeams: string[];
  /** Users who may only read (entity refs), such as the guest. */
  readOnlyUsers: string[];
}

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Reports are written by CI and cron jobs with external access tokens; the
 * permission service decides those from the token's access restrictions and
 * never asks this policy. A user asking for one is always refused.
 */
const SERVICE_ONLY_PERMISSIONS: Permission[] = [
  platformDeployIngestPermission,
  backupStatusIngestPermission,
];

function isReadOnly(permission: Permission): boolean {
  return permission.attributes.action === 'read';
}

/**
 * The platform portal's permission policy, in the order it decides:
 *
 * 1. read-only users (the guest) may read and nothing else;
 * 2. ingest permissions are for services only, never for users;
 * 3. members of a platform team may do everything;
 * 4. changing what runs for an entity (rollback, promotion, image pins) and
 *    deleting an entity are for the entity's owners;
 * 5. managing templates is for the platform team;
 * 6. every other signed-in user may read everything and use the rest
 *    (create services from templates, register components).
 *
 * @public
 */
export class PlatformPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly options: PlatformPolicyOptions,
  ) {}

  /** Decides a permission request with the rules above. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!user) {
      // Only user principals reach a policy; anything else is unknown.
      return isReadOnly(permission) ? ALLOW : DENY;
    }
    const { userEntityRef, ownershipEntityRefs } =
      await this.userInfo.getUserInfo(user.credentials);

    if (this.options.readOnlyUsers.includes(userEntityRef)) {
      return isReadOnly(permission) ? ALLOW : DENY;
    }
    if (SERVICE_ONLY_PERMISSIONS.some(p => isPermission(permission, p))) {
      return DENY;
    }
    if (
      ownershipEntityRefs.some(ref => this.options.platformTeams.includes(ref))
    ) {
      return ALLOW;
    }
    if (
      isPermission(permission, platformDeployChangePermission) ||
      isPermission(permission, catalogEntityDeletePermission)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    if (isPermission(permission, templateManagementPermission)) {
      return DENY;
    }
    return ALLOW;
  }
}
