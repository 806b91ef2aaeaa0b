import { mockCredentials } from '@backstage/backend-test-utils';
import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createPermission } from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateManagementPermission,
  templateParameterReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
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

  it('a query without a user is denied, reads included', async () => {
    await expect(decide(platformDeployReadPermission)).resolves.toEqual(DENY);
    await expect(decide(taskCreatePermission)).resolves.toEqual(DENY);
  });

  it('denies a permission it has no rule for, to everyone (the platform team included)', async () => {
    const unknownRead = createPermission({
      name: 'future-plugin.read',
      attributes: { action: 'read' },
    });
    const unknownWrite = createPermission({
      name: 'future-plugin.delete-everything',
      attributes: { action: 'delete' },
    });
    for (const user of [GUEST, ALICE, PAT]) {
      await expect(decide(unknownRead, user)).resolves.toEqual(DENY);
      await expect(decide(unknownWrite, user)).resolves.toEqual(DENY);
    }
  });

  it('the Kubernetes proxy (the production cluster) is for the platform team only', async () => {
    await expect(decide(kubernetesProxyPermission, ALICE)).resolves.toEqual(
      DENY,
    );
    await expect(decide(kubernetesProxyPermission, GUEST)).resolves.toEqual(
      DENY,
    );
    await expect(decide(kubernetesProxyPermission, PAT)).resolves.toEqual(
      ALLOW,
    );
  });

  it('unregistering a location is for the platform team; refreshing an entity for its owners', async () => {
    await expect(
      decide(catalogLocationDeletePermission, ALICE),
    ).resolves.toEqual(DENY);
    await expect(decide(catalogLocationDeletePermission, PAT)).resolves.toEqual(
      ALLOW,
    );
    await expect(
      decide(catalogEntityRefreshPermission, ALICE),
    ).resolves.toEqual(ownedBy([ALICE, 'group:default/chat-team']));
  });

  it('a scaffolder task is read and cancelled by its creator (and the platform team), not by anyone', async () => {
    const createdBy = (ref: string): PolicyDecision => ({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-task',
      conditions: {
        rule: 'IS_TASK_OWNER',
        resourceType: 'scaffolder-task',
        params: { createdBy: [ref] },
      },
    });
    await expect(decide(taskCancelPermission, ALICE)).resolves.toEqual(
      createdBy(ALICE),
    );
    await expect(decide(taskReadPermission, ALICE)).resolves.toEqual(
      createdBy(ALICE),
    );
    await expect(decide(taskCancelPermission, PAT)).resolves.toEqual(ALLOW);
    await expect(decide(taskCancelPermission, GUEST)).resolves.toEqual(DENY);
  });
});
