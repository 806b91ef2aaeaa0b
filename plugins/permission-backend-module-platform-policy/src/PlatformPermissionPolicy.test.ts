import { mockCredentials } from '@backstage/backend-test-utils';
import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCreatePermission,
  templateManagementPermission,
  templateParameterReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  platformDeployChangePermission,
  platformDeployCostsReadPermission,
  platformDeployIngestPermission,
  platformDeployReadPermission,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  backupStatusIngestPermission,
  backupStatusReadPermission,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { PlatformPermissionPolicy } from './PlatformPermissionPolicy';

const GUEST = 'user:development/guest';
const ALICE = 'user:default/alice'; // member of chat-team
const PAT = 'user:default/pat'; // member of platform-team

const groups: Record<string, string[]> = {
  [GUEST]: [GUEST],
  [ALICE]: [ALICE, 'group:default/chat-team'],
  [PAT]: [PAT, 'group:default/platform-team'],
};

const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: groups[ref] ?? [ref] };
  },
};

const policy = new PlatformPermissionPolicy(userInfo, {
  platformTeams: ['group:default/platform-team'],
  readOnlyUsers: [GUEST],
});

function decide(permission: Permission, userRef?: string) {
  const credentials = userRef ? mockCredentials.user(userRef) : undefined;
  return policy.handle(
    { permission },
    credentials
      ? {
          credentials,
          info: { userEntityRef: userRef!, ownershipEntityRefs: [] },
        }
      : undefined,
  );
}

const ownedBy = (claims: string[]): PolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims },
  },
});

const ALLOW = { result: AuthorizeResult.ALLOW };
const DENY = { result: AuthorizeResult.DENY };

describe('PlatformPermissionPolicy', () => {
  describe('every signed-in user reads', () => {
    it.each([
      ['catalog', catalogEntityReadPermission],
      ['deployments', platformDeployReadPermission],
      ['costs', platformDeployCostsReadPermission],
      ['backups', backupStatusReadPermission],
      ['template parameters', templateParameterReadPermission],
    ])('%s', async (_, permission) => {
      for (const user of [GUEST, ALICE, PAT]) {
        await expect(decide(permission, user)).resolves.toEqual(ALLOW);
      }
    });
  });

  describe('the guest writes nothing', () => {
    it.each([
      ['create a scaffolder task', taskCreatePermission],
      ['execute a scaffolder action', actionExecutePermission],
      ['register a location', catalogLocationCreatePermission],
      ['delete an entity', catalogEntityDeletePermission],
      ['roll back or promote', platformDeployChangePermission],
      ['report a deployment', platformDeployIngestPermission],
    ])('%s: denied', async (_, permission) => {
      await expect(decide(permission, GUEST)).resolves.toEqual(DENY);
    });
  });

  describe('rollback and promotion', () => {
    it('are for the owners of the entity (conditional on ownership)', async () => {
      await expect(
        decide(platformDeployChangePermission, ALICE),
      ).resolves.toEqual(ownedBy([ALICE, 'group:default/chat-team']));
    });

    it('are allowed to the platform team on any entity', async () => {
      await expect(
        decide(platformDeployChangePermission, PAT),
      ).resolves.toEqual(ALLOW);
    });
  });

  it('deleting an entity is for its owners', async () => {
    await expect(decide(catalogEntityDeletePermission, ALICE)).resolves.toEqual(
      ownedBy([ALICE, 'group:default/chat-team']),
    );
  });

  it('managing templates is for the platform team', async () => {
    await expect(decide(templateManagementPermission, ALICE)).resolves.toEqual(
      DENY,
    );
    await expect(decide(templateManagementPermission, PAT)).resolves.toEqual(
      ALLOW,
    );
  });

  it('ingest is for external access tokens only, never a user (not even the platform team)', async () => {
    for (const user of [ALICE, PAT]) {
      await expect(
        decide(platformDeployIngestPermission, user),
      ).resolves.toEqual(DENY);
      await expect(decide(backupStatusIngestPermission, user)).resolves.toEqual(
        DENY,
      );
    }
  });

  it('a developer creates services from templates', async () => {
    await expect(decide(taskCreatePermission, ALICE)).resolves.toEqual(ALLOW);
    await expect(decide(actionExecutePermission, ALICE)).resolves.toEqual(
      ALLOW,
    );
    await expect(
      decide(catalogLocationCreatePermission, ALICE),
    ).resolves.toEqual(ALLOW);
  });

  it('a query without a user may read and nothing else', async () => {
    await expect(decide(platformDeployReadPermission)).resolves.toEqual(ALLOW);
    await expect(decide(taskCreatePermission)).resolves.toEqual(DENY);
  });
});
