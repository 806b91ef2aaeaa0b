import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * GET of another backend plugin's JSON API with this plugin's service
 * token for it (discovery finds the plugin, wherever it runs).
 *
 * @public
 */
export interface PluginClient {
  /** The JSON of `pathAndQuery` of the plugin's API; a non-2xx answer throws `ResponseError`. */
  getJson<T>(pluginId: string, pathAndQuery: string): Promise<T>;
}

/** The {@link PluginClient} of the portal's backend. @public */
export function createPluginClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): PluginClient {
  const { discovery, auth } = options;
  return {
    async getJson<T>(pluginId: string, pathAndQuery: string): Promise<T> {
      const [baseUrl, { token }] = await Promise.all([
        discovery.getBaseUrl(pluginId),
        auth.getPluginRequestToken({
          onBehalfOf: await auth.getOwnServiceCredentials(),
          targetPluginId: pluginId,
        }),
      ]);
      const response = await fetch(`${baseUrl}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw await ResponseError.fromResponse(response);
      return (await response.json()) as T;
    },
  };
}
