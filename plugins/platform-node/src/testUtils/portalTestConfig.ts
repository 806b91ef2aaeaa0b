/**
 * The config of a test backend with the portal's trust model, as the root
 * README's production section sets it up: static external-access tokens
 * (CI's ingest credentials and readers), each token's ingest scope
 * (`platformPortal.ingest.credentials`), the permission framework on with
 * the portal's policy settings, and a catalog read from a file.
 */
import { JsonObject } from '@backstage/types';

/**
 * One static token of `backend.auth.externalAccess`.
 *
 * @public
 */
export type TestStaticToken = {
  token: string;
  subject: string;
  /** What the token may call (`backend.auth.externalAccess[].accessRestrictions`). */
  accessRestrictions: Array<{ plugin: string; permission?: string }>;
  /** For an ingest credential: the groups whose entities it reports for. */
  owners?: string[];
  /** For an ingest credential: it reports for every entity. */
  allEntities?: boolean;
};

/** Keys of `b` replace or merge into those of `a` (objects only). */
function merge(a: JsonObject, b: JsonObject): JsonObject {
  const result = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const base = result[key];
    result[key] =
      isObject(base) && isObject(value) ? merge(base, value) : value;
  }
  return result;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The root config data (for `mockServices.rootConfig.factory({ data })`):
 * the tokens, their ingest scopes, `permission.enabled`, the platform team
 * `group:default/platform-team`, the catalog reading Components (and
 * `catalogKinds`) from `catalogFile`; `extra` merges on top (plugin
 * settings, more policy settings).
 *
 * @public
 */
export function portalTestConfig(options: {
  tokens: TestStaticToken[];
  catalogFile: string;
  catalogKinds?: string[];
  extra?: JsonObject;
}): JsonObject {
  const credentials = options.tokens
    .filter(t => t.owners || t.allEntities)
    .map(t => ({
      subject: t.subject,
      ...(t.owners ? { owners: t.owners } : {}),
      ...(t.allEntities ? { allEntities: true } : {}),
    }));
  return merge(
    {
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        auth: {
          externalAccess: options.tokens.map(t => ({
            type: 'static',
            options: { token: t.token, subject: t.subject },
            accessRestrictions: t.accessRestrictions,
          })),
        },
      },
      permission: { enabled: true },
      platformPolicy: { platformTeams: ['group:default/platform-team'] },
      catalog: {
        rules: [{ allow: options.catalogKinds ?? ['Component'] }],
        locations: [{ type: 'file', target: options.catalogFile }],
      },
      platformPortal: { ingest: { credentials } },
    },
    options.extra ?? {},
  );
}

/**
 * Waits until the test backend's catalog has read `count` Components from
 * its file (it reads locations after start), asking with `token` (one with
 * `{plugin: catalog}` access).
 *
 * @public
 */
export async function waitForCatalog(
  server: { address(): unknown },
  options: { token: string; count: number; timeoutMs?: number },
): Promise<void> {
  const address = server.address() as { port: number } | null;
  if (!address) throw new Error('the test backend does not listen');
  const url = `http://127.0.0.1:${address.port}/api/catalog/entities/by-query?filter=kind=component`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${options.token}` },
    });
    const body = res.ok ? ((await res.json()) as { items?: unknown[] }) : {};
    if (body.items?.length === options.count) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the catalog never read ${options.count} Components from its file`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}
