import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import {
  configApiRef,
  githubAuthApiRef,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { SignInPage } from '@backstage/core-components';

const githubProvider = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * The providers offered on the sign-in page come from
 * `app.signIn.providers`: `guest` in the embedded default, `github` in
 * production (app-config.production.yaml), where the guest provider is off.
 */
export function providersFromConfig(names: string[] | undefined) {
  return (names ?? ['guest']).map(name => {
    if (name === 'github') return githubProvider;
    if (name === 'guest') return 'guest' as const;
    throw new Error(
      `app.signIn.providers: unknown provider '${name}' (use guest or github)`,
    );
  });
}

function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const providers = providersFromConfig(
    config.getOptionalStringArray('app.signIn.providers'),
  );
  return <SignInPage {...props} providers={providers} />;
}

/** Replaces the app's default (guest only) sign-in page. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: { loader: async () => PortalSignInPage },
    }),
  ],
});
