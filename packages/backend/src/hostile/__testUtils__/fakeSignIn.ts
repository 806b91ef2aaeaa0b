/*
 * FAKE: stands in for GitHub sign-in, the one boundary of sign-in that the
 * tests cannot run. It is a proxy auth provider of the real auth backend:
 * `GET /api/auth/test-sign-in/refresh` with `x-test-user: <name>` signs the
 * user in through the real catalog (`signInWithCatalogUser`), so the token's
 * ownership claims come from the catalog's groups exactly as in production.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { AuthenticationError } from '@backstage/errors';

const fakeAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { name: string }) => ({
    profile: { displayName: result.name },
  }),
  initialize() {},
  async authenticate({ req }) {
    const name = req.header('x-test-user');
    if (!name) throw new AuthenticationError('no x-test-user header');
    return { result: { name } };
  },
});

/** The fake sign-in provider `test-sign-in`, as a module of the auth backend. */
export const fakeSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'fake-test-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'test-sign-in',
          factory: createProxyAuthProviderFactory({
            authenticator: fakeAuthenticator,
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: { name: result.name },
              });
            },
          }),
        });
      },
    });
  },
});
