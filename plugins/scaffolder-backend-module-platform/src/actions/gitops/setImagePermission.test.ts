import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import platformPolicyModule from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import path from 'node:path';
import request from 'supertest';
import { readTree, runAction } from '../../__testUtils__/actions';
import { waitFor } from '../../__testUtils__/waitFor';
import { createGitopsSetImageAction } from './createGitopsSetImageAction';

jest.setTimeout(60_000);

const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/alice': ['group:default/quote-team'],
  'user:default/bob': ['group:default/chat-team'],
  'user:default/pat': ['group:default/platform-team'],
};

/**
 * Group membership as sign-in resolves it from the catalog (the catalog of
 * this test holds only the component).
 */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(MEMBERSHIPS[userEntityRef] ?? []),
        ],
      };
    },
  }),
});

/**
 * The mock auth service, except that a service token issued on behalf of a
 * user authenticates with the calling service as actor, as the real auth
 * service does (the catalog answers conditions only to such callers).
 */
const SERVICE_TOKEN_PREFIX = 'mock-service-token:';
const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    const authenticate: typeof inner.authenticate = async (token, options) => {
      if (token.startsWith(SERVICE_TOKEN_PREFIX)) {
        const { obo } = JSON.parse(token.slice(SERVICE_TOKEN_PREFIX.length));
        if (obo) {
          await inner.authenticate(token, options); // target checks
          return mockCredentials.user(obo, {
            actor: { subject: 'plugin:permission' },
          }) as any;
        }
      }
      return inner.authenticate(token, options);
    };
    return Object.assign(Object.create(inner), { authenticate });
  },
});

/**
 * platform:gitops:set-image with the real permission backend, the portal's
 * policy and the real catalog (quote-backend is owned by quote-team): the
 * policy answers "owners only" as a condition, which the catalog resolves
 * for the target entity.
 */
describe('only owners and the platform team may pin what runs', () => {
  const workspace = createMockDirectory();
  let permissions: PermissionsService;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        catalogBackend,
        permissionBackend,
        platformPolicyModule,
        userInfoFactory,
        authFactory,
        // The real HTTP auth, which reads credentials through the auth above.
        httpAuthServiceFactory,
        // Hands the test the permissions service a scaffolder module gets.
        createBackendPlugin({
          pluginId: 'scaffolder',
          register(env) {
            env.registerInit({
              deps: { permissions: coreServices.permissions },
              async init(deps) {
                permissions = deps.permissions;
              },
            });
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            platformPolicy: {
              platformTeams: ['group:default/platform-team'],
              readOnlyUsers: ['user:development/guest'],
            },
            catalog: {
              rules: [{ allow: ['Component'] }],
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
    }));

    // The catalog processes its location in the background; until it has
    // related quote-backend to its owner, the owners' condition matches
    // nothing and every "may not" would pass for the wrong reason.
    let relations: { type: string; targetRef: string }[] = [];
    await waitFor(
      'the catalog to relate component:default/quote-backend to its owner',
      async () => {
        const response = await request(server)
          .get('/api/catalog/entities/by-name/component/default/quote-backend')
          .set(
            'authorization',
            mockCredentials.user.header('user:default/pat'),
          );
        relations = response.body?.relations ?? [];
        return relations.some(
          r =>
            r.type === 'ownedBy' && r.targetRef === 'group:default/quote-team',
        )
          ? true
          : undefined;
      },
      { lastSeen: () => JSON.stringify(relations) },
    );
  });

  beforeEach(() => {
    workspace.clear();
    workspace.setContent(
      Object.fromEntries(
        Object.entries(
          readTree(path.join(__dirname, '__golden__/quote-backend/gitops')),
        ).map(([file, content]) => [`gitops/${file}`, content]),
      ),
    );
  });

  const pin = (userRef: string) =>
    runAction(
      createGitopsSetImageAction({ permissions }),
      {
        entityRef: 'component:default/quote-backend',
        environment: 'production',
        tag: 'main-0ld0ld0',
        path: 'gitops',
      },
      { workspacePath: workspace.path, userRef },
    );

  it.each([
    ['alice, of the owning team', 'user:default/alice'],
    ['pat, of the platform team', 'user:default/pat'],
  ])('%s may', async (_, userRef) => {
    const outputs = await pin(userRef);
    expect(outputs.liveSlot).toBe('green');
  });

  it.each([
    ['bob, of another team', 'user:default/bob'],
    ['the guest', 'user:development/guest'],
  ])('%s may not, and nothing changes', async (_, userRef) => {
    const before = readTree(workspace.path);
    await expect(pin(userRef)).rejects.toThrow(
      'You may not change what runs for component:default/quote-backend',
    );
    expect(readTree(workspace.path)).toEqual(before);
  });
});
