/*
 * Test auth for the health tests: group membership as sign-in resolves it,
 * and the real auth service's on-behalf-of behaviour for service tokens.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

export const ALICE = 'user:default/alice'; // quote-team, owns quote-backend
export const BOB = 'user:default/bob'; // chat-team

export const MEMBERSHIPS: Record<string, string[]> = {
  [ALICE]: ['group:default/quote-team'],
  [BOB]: ['group:default/chat-team'],
};

/** Group membership as sign-in resolves it from the catalog. */
export const userInfoFactory = createServiceFactory({
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
 * The mock auth service, except that a service token on behalf of a user
 * authenticates as that user with the calling plugin as actor, as the real
 * auth service does (the catalog resolves conditions for such callers).
 */
const SERVICE_TOKEN_PREFIX = 'mock-service-token:';
export const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    const authenticate: typeof inner.authenticate = async (token, options) => {
      if (token.startsWith(SERVICE_TOKEN_PREFIX)) {
        const { obo } = JSON.parse(token.slice(SERVICE_TOKEN_PREFIX.length));
        if (obo) {
          await inner.authenticate(token, options);
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
