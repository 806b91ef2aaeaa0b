import {
  coreServices,
  createBackendPlugin,
  BackstageCredentials,
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
import { Config } from '@backstage/config';
import {
  catalogServiceRef,
  CatalogService,
} from '@backstage/plugin-catalog-node';
import { readTrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import { memberAuthServices } from '@platform-portal/backstage-plugin-platform-node/testUtils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { readTree, runAction } from '../../__testUtils__/actions';
import { waitFor } from '../../__testUtils__/waitFor';
import { createGitopsRenderAction } from './createGitopsRenderAction';
import { createGitopsSetImageAction } from './createGitopsSetImageAction';

const MALLORY = 'user:default/mallory';

jest.setTimeout(60_000);

const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/alice': ['group:default/quote-team'],
  'user:default/bob': ['group:default/chat-team'],
  'user:default/pat': ['group:default/platform-team'],
};

/**
 * platform:gitops:set-image with the real permission backend, the portal's
 * policy and the real catalog (quote-backend is owned by quote-team): the
 * policy answers "owners only" as a condition, which the catalog resolves
 * for the target entity; the action reads the entity from that catalog and
 * trusts it only from the catalog's configured locations. Mallory, a
 * signed-in user of no team, registers her own location, as any member may.
 */
describe('only owners and the platform team may pin what runs, and only for trusted entities', () => {
  const workspace = createMockDirectory();
  let permissions: PermissionsService;
  let catalog: CatalogService;
  let config: Config;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  const entity = (ref: string) =>
    request(server)
      .get(`/api/catalog/entities/by-name/${ref.replace(/[:]/, '/')}`)
      .set('authorization', mockCredentials.user.header('user:default/pat'));

  /** Waits until the catalog relates the entity to its owner. */
  const waitForOwner = async (ref: string, owner: string) => {
    let relations: { type: string; targetRef: string }[] = [];
    await waitFor(
      `the catalog to relate ${ref} to ${owner}`,
      async () => {
        relations = (await entity(ref)).body?.relations ?? [];
        return relations.some(
          r => r.type === 'ownedBy' && r.targetRef === owner,
        )
          ? true
          : undefined;
      },
      { lastSeen: () => JSON.stringify(relations) },
    );
  };

  /**
   * Mallory's repository: a local HTTP server that serves her catalog file
   * as a code host serves a raw file (the catalog's URL reader fetches it).
   */
  const malloryRepo = {
    server: http.createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/yaml' });
      res.end(
        fs.readFileSync(
          path.join(__dirname, '__fixtures__/registered-by-mallory.yaml'),
        ),
      );
    }),
    url: '',
  };

  afterAll(() => new Promise(resolve => malloryRepo.server.close(resolve)));

  beforeAll(async () => {
    await new Promise<void>(resolve =>
      malloryRepo.server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = malloryRepo.server.address() as AddressInfo;
    malloryRepo.url = `http://127.0.0.1:${port}/mallory/repo/catalog-info.yaml`;

    ({ server } = await startTestBackend({
      features: [
        catalogBackend,
        permissionBackend,
        platformPolicyModule,
        ...memberAuthServices(MEMBERSHIPS),
        // The real HTTP auth, which reads credentials through the auth above.
        httpAuthServiceFactory,
        // Hands the test the services a scaffolder module gets.
        createBackendPlugin({
          pluginId: 'scaffolder',
          register(env) {
            env.registerInit({
              deps: {
                permissions: coreServices.permissions,
                catalog: catalogServiceRef,
                config: coreServices.rootConfig,
              },
              async init(deps) {
                ({ permissions, catalog, config } = deps);
              },
            });
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              reading: { allow: [{ host: `127.0.0.1:${port}` }] },
            },
            permission: { enabled: true },
            platformPolicy: {
              platformTeams: ['group:default/platform-team'],
              readOnlyUsers: ['user:development/guest'],
            },
            catalog: {
              // As app-config.yaml: what registered locations may hold.
              rules: [{ allow: ['Component', 'API', 'Resource', 'Location'] }],
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

    // Mallory registers her repository's catalog file, as any member may
    // (the API takes url locations only).
    const registered = await request(server)
      .post('/api/catalog/locations')
      .set('authorization', mockCredentials.user.header(MALLORY))
      .send({ type: 'url', target: malloryRepo.url });
    if (registered.status !== 201) {
      throw new Error(
        `Registering Mallory's location failed: HTTP ${
          registered.status
        } ${JSON.stringify(registered.body)}`,
      );
    }

    // The catalog processes locations in the background; until it has
    // related each component to its owner, the owners' condition matches
    // nothing and every "may not" would pass for the wrong reason.
    await waitForOwner(
      'component:default/quote-backend',
      'group:default/quote-team',
    );
    await waitForOwner(
      'component:chat/quote-backend',
      'group:default/chat-team',
    );
    await waitForOwner('component:mallory/quote-backend', MALLORY);
    await waitForOwner('component:default/legacy-billing', MALLORY);
  });

  /**
   * The GitOps checkout: quote-backend as platform:gitops:render left it,
   * and the directories of chat-backend, legacy-billing and ghost (a
   * service the catalog no longer has).
   */
  beforeEach(async () => {
    workspace.clear();
    workspace.setContent(
      Object.fromEntries(
        Object.entries(
          readTree(path.join(__dirname, '__golden__/quote-backend/gitops')),
        ).map(([file, content]) => [`gitops/${file}`, content]),
      ),
    );
    for (const name of ['chat-backend', 'legacy-billing', 'ghost']) {
      await runAction(
        createGitopsRenderAction(),
        {
          name,
          image: `ghcr.io/memo-2023/${name}`,
          domain: 'mana.how',
          path: 'gitops',
        },
        { workspacePath: workspace.path },
      );
    }
  });

  const pin = (
    userRef: string,
    change: Record<string, unknown> = {},
    options: { credentials?: BackstageCredentials } = {},
  ) =>
    runAction(
      createGitopsSetImageAction({
        permissions,
        catalog,
        trustedLocations: readTrustedLocations(config),
      }),
      {
        entityRef: 'component:default/quote-backend',
        environment: 'production',
        tag: 'main-0ld0ld0',
        path: 'gitops',
        ...change,
      },
      { workspacePath: workspace.path, userRef, ...options },
    );

  /** The refusal's message, and the files it changed (none, we expect). */
  async function refusal(attempt: () => Promise<unknown>) {
    const before = readTree(workspace.path);
    const message = await attempt().then(
      () => 'no refusal: the pin went through',
      (error: Error) => error.message,
    );
    const after = readTree(workspace.path);
    const changed = Object.keys(after).filter(f => after[f] !== before[f]);
    return { message, changed };
  }

  const refused = (message: string) => ({
    message: expect.stringContaining(message),
    changed: [],
  });

  it.each([
    ['alice, of the owning team', 'user:default/alice'],
    ['pat, of the platform team', 'user:default/pat'],
  ])('%s may', async (_, userRef) => {
    const outputs = await pin(userRef);
    expect(outputs.liveSlot).toBe('green');
    expect(outputs.files).toContain(
      'gitops/apps/quote-backend/overlays/production/kustomization.yaml',
    );
  });

  it.each([
    ['bob, of another team', 'user:default/bob'],
    ['the guest', 'user:development/guest'],
  ])('%s may not, and nothing changes', async (_, userRef) => {
    expect(await refusal(() => pin(userRef))).toEqual(
      refused(
        'You may not change what runs for component:default/quote-backend',
      ),
    );
  });

  it("Mallory's own component:mallory/quote-backend (a namespace squat from her registered location) drives nothing", async () => {
    expect(
      await refusal(() =>
        pin(MALLORY, { entityRef: 'component:mallory/quote-backend' }),
      ),
    ).toEqual(
      refused(
        `component:mallory/quote-backend comes from url:${malloryRepo.url}, which is not a trusted location`,
      ),
    );
  });

  it('a trusted component of another namespace with the same name changes its own directory, never the default one', async () => {
    expect(
      await refusal(() =>
        pin('user:default/bob', { entityRef: 'component:chat/quote-backend' }),
      ),
    ).toEqual(
      refused(
        'entityRef: the GitOps repository has no apps/chat/quote-backend/overlays for component:chat/quote-backend',
      ),
    );
  });

  it("Mallory's registered component:default/legacy-billing, whose directory the GitOps repository has, drives nothing", async () => {
    expect(
      await refusal(() =>
        pin(MALLORY, { entityRef: 'component:default/legacy-billing' }),
      ),
    ).toEqual(
      refused(
        `component:default/legacy-billing comes from url:${malloryRepo.url}, which is not a trusted location`,
      ),
    );
  });

  it("alice may not point her pin at another service's directory (name)", async () => {
    expect(
      await refusal(() => pin('user:default/alice', { name: 'chat-backend' })),
    ).toEqual(
      refused(
        'name: only the platform team may choose the GitOps directory (platform-deploy.gitops.override)',
      ),
    );
  });

  it('pat, of the platform team, may choose the directory (name)', async () => {
    const outputs = await pin('user:default/pat', { name: 'chat-backend' });
    expect(outputs.files).toEqual([
      'gitops/apps/chat-backend/overlays/production/kustomization.yaml',
      'gitops/apps/chat-backend/overlays/production/live-slot.yaml',
      'gitops/apps/chat-backend/overlays/production/compose.yml',
    ]);
  });

  it('a task started with service credentials (which pass every permission check) changes nothing', async () => {
    expect(
      await refusal(() =>
        pin('user:default/pat', {}, { credentials: mockCredentials.service() }),
      ),
    ).toEqual(
      refused(
        'Only a signed-in user may change what runs for component:default/quote-backend; this task was started by a service principal',
      ),
    );
  });

  it('not even the platform team pins a component the catalog does not have', async () => {
    expect(
      await refusal(() =>
        pin('user:default/pat', { entityRef: 'component:default/ghost' }),
      ),
    ).toEqual(refused('component:default/ghost is not in the catalog'));
  });
});
