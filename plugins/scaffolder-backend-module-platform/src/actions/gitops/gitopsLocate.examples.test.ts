import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import {
  fakeTrustedCatalog,
  readTree,
  runAction,
  runExample,
  trustedComponent,
} from '../../__testUtils__/actions';
import { createGitopsLocateAction } from './createGitopsLocateAction';
import { examples } from './gitopsLocate.examples';

/**
 * Each published example of platform:gitops:locate, and what it refuses.
 * The catalog is the catalog service's FAKE here; the real catalog and who
 * may change what are `setImagePermission.test.ts`'s business.
 */
describe('platform:gitops:locate', () => {
  const workspace = createMockDirectory();
  const action = createGitopsLocateAction(
    fakeTrustedCatalog([
      trustedComponent('quote-backend'),
      trustedComponent('quote-backend', { namespace: 'chat' }),
      trustedComponent('squatted', {
        origin:
          'url:https://github.com/mallory/repo/blob/main/catalog-info.yaml',
      }),
      { ...trustedComponent('quote-db'), kind: 'Resource' },
    ]),
  );

  beforeEach(() => workspace.clear());

  it('are each run here', () => {
    expect(examples.map(e => e.description)).toEqual([
      "Find a component's production overlay, then fetch it into the workspace where platform:gitops:set-image expects it",
    ]);
  });

  it("finding quote-backend's production overlay: apps/quote-backend, nothing written", async () => {
    const outputs = await runExample(action, examples[0], {
      workspacePath: workspace.path,
    });
    expect(outputs).toEqual({
      entityRef: 'component:default/quote-backend',
      name: 'quote-backend',
      appPath: 'apps/quote-backend',
      overlayPath: 'apps/quote-backend/overlays/production',
    });
    expect(readTree(workspace.path)).toEqual({});
  });

  it('a component of another namespace lives under its namespace', async () => {
    const outputs = await runAction(
      action,
      { entityRef: 'component:chat/quote-backend', environment: 'staging' },
      { workspacePath: workspace.path },
    );
    expect(outputs.overlayPath).toBe(
      'apps/chat/quote-backend/overlays/staging',
    );
  });

  it.each([
    [
      'an entity from a location that is not trusted',
      { entityRef: 'squatted' },
      'component:default/squatted comes from url:https://github.com/mallory/repo/blob/main/catalog-info.yaml, which is not a trusted location',
    ],
    [
      'an entity the catalog does not have',
      { entityRef: 'component:default/ghost' },
      'component:default/ghost is not in the catalog',
    ],
    [
      'an entity that is not a Component',
      { entityRef: 'resource:default/quote-db' },
      'entityRef: resource:default/quote-db is a Resource; rollback and promotion are for Components',
    ],
    [
      'a bad entity ref',
      { entityRef: 'component:' },
      'entityRef must be an entity reference',
    ],
    [
      'a ref with a newline (parseEntityRef alone would take it)',
      { entityRef: 'component:default/x\nkind: y' },
      'entityRef must be an entity reference such as component:default/quote-backend, got "component:default/x\\nkind: y"',
    ],
    [
      'an environment that is not a name',
      { environment: 'production\nx: y' },
      'environment must be a DNS-safe name',
    ],
  ])('refuses %s', async (_, change, message) => {
    await expect(
      runAction(
        action,
        {
          entityRef: 'component:default/quote-backend',
          environment: 'production',
          ...change,
        },
        { workspacePath: workspace.path },
      ),
    ).rejects.toThrow(message);
  });

  it('refuses a task started with service credentials', async () => {
    await expect(
      runAction(
        action,
        { entityRef: 'quote-backend', environment: 'production' },
        {
          workspacePath: workspace.path,
          credentials: mockCredentials.service(),
        },
      ),
    ).rejects.toThrow(
      'Only a signed-in user may change what runs for component:default/quote-backend',
    );
  });
});
