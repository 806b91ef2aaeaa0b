import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { platformDeployChangePermission } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { taskCreatePermission } from '@backstage/plugin-scaffolder-common/alpha';
import path from 'node:path';
import request from 'supertest';
import permissionBackend from '@backstage/plugin-permission-backend';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { permissionModulePlatformPolicy } from './module';
import { PlatformPermissionPolicy } from './PlatformPermissionPolicy';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const GUEST = 'user:development/guest';
const PAT = 'user:default/pat';
const memberships: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/chat-team'],
  [PAT]: [PAT, 'group:default/platform-team'],
  [GUEST]: [GUEST],
};

/**
 * The real permission backend with our policy, and the real catalog backend
 * (SQLite in memory, entities from a file location) applying the ownership
 * condition over HTTP, as in the running portal.
 */
async function start() {
  const { server } = await startTestBackend({
    features: [
      permissionBackend,
      catalogBackend,
      permissionModulePlatformPolicy,
      mockServices.userInfo.mock({
        async getUserInfo(credentials) {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return { userEntityRef: ref, ownershipEntityRefs: memberships[ref] };
        },
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          platformPolicy: { platformTeams: ['group:default/platform-team'] },
          catalog: {
            rules: [{ allow: ['Component', 'Group', 'Location'] }],
            locations: [
              {
                type: 'file',
                target: path.resolve(__dirname, '__fixtures__/catalog.yaml'),
              },
            ],
          },
        },
      }),
    ],
  });
  return server;
}

type Server = Awaited<ReturnType<typeof start>>;

async function waitForCatalog(server: Server, ref: string) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  for (let i = 0; i < 100; i++) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
      .set('authorization', mockCredentials.service.header());
    if (res.status === 200) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`catalog never processed ${ref}`);
}

async function authorize(
  server: Server,
  user: string,
  items: Array<{ permission: unknown; resourceRef?: string }>,
) {
  const res = await request(server)
    .post('/api/permission/authorize')
    .set('authorization', mockCredentials.user.header(user))
    .send({ items: items.map((item, i) => ({ id: String(i), ...item })) });
  expect(res.status).toBe(200);
  return res.body.items.map((item: { result: string }) => item.result);
}

describe('platform permission policy over HTTP', () => {
  let server: Server;

  beforeAll(async () => {
    server = await start();
    await waitForCatalog(server, 'component:default/chat-backend');
    await waitForCatalog(server, 'component:default/picture-backend');
  });

  it('lets a team roll back its own service and not another team’s', async () => {
    // The policy answers "if the user owns the entity"; the real catalog
    // evaluates that condition. In the portal the permission backend sends it
    // with an on-behalf-of token that carries an actor; the test backend's mock
    // auth drops the actor (the catalog then answers 403), so the test sends
    // the policy's own decision to the catalog with a service token instead.
    const policy = new PlatformPermissionPolicy(
      {
        async getUserInfo() {
          return {
            userEntityRef: ALICE,
            ownershipEntityRefs: memberships[ALICE],
          };
        },
      },
      { platformTeams: ['group:default/platform-team'], readOnlyUsers: [] },
    );
    const decision = await policy.handle(
      { permission: platformDeployChangePermission },
      {
        credentials: mockCredentials.user(ALICE),
        info: { userEntityRef: ALICE, ownershipEntityRefs: [] },
      },
    );
    expect(decision.result).toBe('CONDITIONAL');

    const res = await request(server)
      .post('/api/catalog/.well-known/backstage/permissions/apply-conditions')
      .set('authorization', mockCredentials.service.header())
      .send({
        items: ['chat-backend', 'picture-backend'].map(name => ({
          id: name,
          resourceRef: `component:default/${name}`,
          resourceType: 'catalog-entity',
          conditions: (decision as { conditions: unknown }).conditions,
        })),
      });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: 'chat-backend', result: 'ALLOW' },
      { id: 'picture-backend', result: 'DENY' },
    ]);
  });

  it('lets the platform team roll back any service', async () => {
    await expect(
      authorize(server, PAT, [
        {
          permission: platformDeployChangePermission,
          resourceRef: 'component:default/picture-backend',
        },
      ]),
    ).resolves.toEqual(['ALLOW']);
  });

  it('refuses the guest any write, on its own services too', async () => {
    await expect(
      authorize(server, GUEST, [
        { permission: taskCreatePermission },
        {
          permission: platformDeployChangePermission,
          resourceRef: 'component:default/chat-backend',
        },
      ]),
    ).resolves.toEqual(['DENY', 'DENY']);
  });
});
