import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
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
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { RESOURCE_TYPE_SCAFFOLDER_TASK } from '@backstage/plugin-scaffolder-common/alpha';
import { PERMISSION_RULES, PermissionRule } from './rules';

/** Who the policy treats specially. @public */
export interface PlatformPolicyOptions {
  /** Groups whose members hold every permission that has a rule (entity refs). */
  platformTeams: string[];
  /** Users who may only read (entity refs), such as the guest. */
  readOnlyUsers: string[];
}

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The platform portal's permission policy: every permission has a named rule
 * in {@link PERMISSION_RULES}, and a permission without one is denied, to
 * everyone. For a rule's holder:
 *
 * - `signed-in`: every user, read-only users (the guest) included;
 * - `members`: every user but the read-only ones;
 * - `owners`: the platform team, and for everyone else a conditional decision
 *   `isEntityOwner` that the catalog resolves for the entity at hand;
 * - `task-creator`: the platform team, and the user who created the task (a
 *   conditional decision the scaffolder resolves);
 * - `platform-team`: members of a platform team only;
 * - `services`: no user (CI holds these through external access tokens, which
 *   never reach a policy).
 *
 * A request without a user (only users reach a policy) is denied.
 *
 * @public
 */
export class PlatformPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly options: PlatformPolicyOptions,
    private readonly rules: Readonly<
      Record<string, PermissionRule>
    > = PERMISSION_RULES,
  ) {}

  /** The rule for a permission, or undefined: such a permission is denied. */
  ruleFor(permissionName: string): PermissionRule | undefined {
    return Object.prototype.hasOwnProperty.call(this.rules, permissionName)
      ? this.rules[permissionName]
      : undefined;
  }

  /** Decides a permission request with its named rule. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const rule = this.ruleFor(permission.name);
    if (!rule || !user) return DENY;
    if (rule.who === 'services') return DENY;

    const { userEntityRef, ownershipEntityRefs } =
      await this.userInfo.getUserInfo(user.credentials);
    if (rule.who === 'signed-in') return ALLOW;
    if (this.options.readOnlyUsers.includes(userEntityRef)) return DENY;
    if (rule.who === 'members') return ALLOW;
    if (
      ownershipEntityRefs.some(ref => this.options.platformTeams.includes(ref))
    ) {
      return ALLOW;
    }
    if (
      rule.who === 'owners' &&
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    if (
      rule.who === 'task-creator' &&
      isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }),
      );
    }
    return DENY;
  }
}
