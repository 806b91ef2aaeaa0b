import { mockCredentials } from '@backstage/backend-test-utils';
import path from 'node:path';
import request from 'supertest';

/**
 * Config for the real catalog backend (`@backstage/plugin-catalog-backend`)
 * reading a file of `src/__fixtures__` as a file location.
 */
export function catalogConfig(fixture = 'catalog.yaml') {
  return {
    catalog: {
      rules: [{ allow: ['Component', 'Resource', 'Group', 'Location'] }],
      locations: [
        {
          type: 'file',
          target: path.resolve(__dirname, '../__fixtures__', fixture),
        },
      ],
    },
  };
}

/** Every entity of `src/__fixtures__/catalog.yaml`. */
export const FIXTURE_ENTITY_REFS = [
  'resource:default/chat-db',
  'component:default/redis',
  'component:default/chat-backend',
  'resource:default/tape-db',
];

type Server = Parameters<typeof request>[0];

/**
 * Waits (polling, with a deadline) until the catalog serves every fixture
 * entity: the catalog processes a file location asynchronously after start.
 */
export async function waitForCatalog(
  server: Server,
  options: {
    refs?: string[];
    /** The Authorization header; default a mock service token. */
    authorization?: string;
    timeoutMs?: number;
  } = {},
): Promise<void> {
  const refs = options.refs ?? FIXTURE_ENTITY_REFS;
  const authorization =
    options.authorization ?? mockCredentials.service.header();
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (const ref of refs) {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    for (;;) {
      const res = await request(server)
        .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
        .set('authorization', authorization);
      if (res.status === 200) break;
      if (Date.now() > deadline) {
        throw new Error(`the catalog never served ${ref} (${res.status})`);
      }
      await new Promise(r => setTimeout(r, 100));
    }
  }
}
