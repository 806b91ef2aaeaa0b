import { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './portalInfo.examples';

/** An http(s) URL from config, without a trailing slash. */
function readBaseUrl(config: Config, key: string): string {
  const value = config.getString(key);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Invalid config: ${key}: must be a URL, got ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Invalid config: ${key}: must be http(s), got ${value}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(
      `Invalid config: ${key}: must be a base URL without query, fragment or credentials`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * `platform:portal:info`: the portal's own addresses, from its config
 * (`app.baseUrl`, `backend.baseUrl`), for a template's skeleton values:
 * where a generated workflow reports deploys and where a component's page
 * is. Templates never take them as form values: a form value with a newline
 * would rewrite the workflow the portal's token pushes.
 *
 * @public
 */
export function createPortalInfoAction(options: { config: Config }) {
  const baseUrl = readBaseUrl(options.config, 'app.baseUrl');
  const backendUrl = readBaseUrl(options.config, 'backend.baseUrl');
  return createTemplateAction({
    id: 'platform:portal:info',
    description:
      "The portal's own addresses from its config: baseUrl (app.baseUrl, its pages) and backendUrl (backend.baseUrl, where CI reports deploys)",
    examples,
    supportsDryRun: true,
    schema: {
      input: z => z.object({}).strict(),
      output: {
        baseUrl: z =>
          z.string().describe("The portal's pages (app.baseUrl), no slash"),
        backendUrl: z =>
          z
            .string()
            .describe(
              "The portal's API (backend.baseUrl), no slash: CI posts to <backendUrl>/api/platform-deploy/v1/events",
            ),
      },
    },
    async handler(ctx) {
      ctx.output('baseUrl', baseUrl);
      ctx.output('backendUrl', backendUrl);
    },
  });
}
