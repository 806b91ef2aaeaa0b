import {
  coreServices,
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

const SERVICE_TOKEN_PREFIX = 'mock-service-token:';

/**
 * The test backend's mock auth with two behaviours of the real services,
 * for tests that run the real permission backend and the portal's policy:
 *
 * - `userInfo` answers group membership as sign-in resolves it from the
 *   catalog: the user's own ref plus `memberships[userRef]`;
 * - `auth` authenticates a service token issued on behalf of a user as that
 *   user, with the calling plugin as actor, as the real auth service does (the
 *   catalog answers the policy's conditions only to such callers).
 *
 * @param memberships - the groups of each user ref, as full entity refs
 * @public
 */
export function memberAuthServices(
  memberships: Record<string, string[]>,
): ServiceFactory[] {
  const userInfo = createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: any) {
        const userEntityRef = credentials.principal.userEntityRef;
        return {
          userEntityRef,
          ownershipEntityRefs: [
            userEntityRef,
            ...(memberships[userEntityRef] ?? []),
          ],
        };
      },
    }),
  });
  const auth = createServiceFactory({
    service: coreServices.auth,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }) {
      const inner = mockServices.auth({ pluginId: plugin.getId() });
      const authenticate: typeof inner.authenticate = async (
        token,
        options,
      ) => {
        if (token.startsWith(SERVICE_TOKEN_PREFIX)) {
          const { obo } = JSON.parse(token.slice(SERVICE_TOKEN_PREFIX.length));
          if (obo) {
            await inner.authenticate(token, options); // its target checks
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
  return [userInfo, auth];
}
