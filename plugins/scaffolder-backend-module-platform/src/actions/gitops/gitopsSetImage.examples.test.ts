import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import path from 'node:path';
import yaml from 'yaml';
import {
  fakeTrustedCatalog,
  readTree,
  runAction,
  runExample,
} from '../../__testUtils__/actions';
import { createGitopsRenderAction } from './createGitopsRenderAction';
import { createGitopsSetImageAction } from './createGitopsSetImageAction';
import { examples } from './gitopsSetImage.examples';

const GOLDEN_GITOPS = path.join(__dirname, '__golden__/quote-backend/gitops');

/** The tag of each slot and the live slot, as the overlay's files say. */
function overlayState(files: Record<string, string>, overlay: string) {
  const kustomization = yaml.parse(files[`${overlay}/kustomization.yaml`]);
  const tags = Object.fromEntries(
    kustomization.images.map((i: { name: string; newTag: string }) => [
      i.name,
      i.newTag,
    ]),
  );
  const service = yaml.parse(files[`${overlay}/live-slot.yaml`]);
  const compose = yaml.parse(files[`${overlay}/compose.yml`]);
  return {
    tags,
    liveSlot: service.spec.selector['platform-portal.dev/slot'],
    composeImages: Object.values<{ image: string }>(compose.services).map(
      s => s.image,
    ),
  };
}

/**
 * Each published example of platform:gitops:set-image run through the
 * action on a GitOps checkout as platform:gitops:render writes it. Who may
 * run it is `setImagePermission.test.ts`'s business; here everyone may.
 */
describe('the published examples of platform:gitops:set-image', () => {
  const workspace = createMockDirectory();
  const action = createGitopsSetImageAction({
    permissions: mockServices.permissions(),
    ...fakeTrustedCatalog(),
  });

  beforeEach(() => workspace.clear());

  /**
   * Runs the example; returns its outputs, the files it changed (by name in
   * the overlay, checked against its `files` output) and the overlay's state.
   */
  async function pin(example: TemplateExample, overlay: string) {
    const before = readTree(workspace.path);
    const outputs = await runExample(action, example, {
      workspacePath: workspace.path,
    });
    const after = readTree(workspace.path);
    const changed = Object.keys(after)
      .filter(file => after[file] !== before[file])
      .sort();
    expect([...(outputs.files as string[])].sort()).toEqual(changed);
    return {
      outputs,
      changed: changed.map(file => path.posix.relative(overlay, file)),
      state: overlayState(after, overlay),
    };
  }

  it('are each run here', () => {
    expect(examples.map(e => e.description)).toEqual([
      'Roll production back to a previous version: the idle slot gets the tag, then traffic switches to it',
      'Update the live slot in staging without switching',
    ]);
  });

  it('rolling production back: the idle green slot gets the tag and the traffic', async () => {
    // The checkout in gitops/, as the example's `path` says.
    workspace.setContent(
      Object.fromEntries(
        Object.entries(readTree(GOLDEN_GITOPS)).map(([file, content]) => [
          `gitops/${file}`,
          content,
        ]),
      ),
    );
    const { outputs, changed, state } = await pin(
      examples[0],
      'gitops/apps/quote-backend/overlays/production',
    );
    expect(changed).toEqual([
      'compose.yml',
      'kustomization.yaml',
      'live-slot.yaml',
    ]);
    expect(state).toEqual({
      tags: {
        'quote-backend-blue': 'main',
        'quote-backend-green': 'main-1a2b3c4',
      },
      liveSlot: 'green',
      composeImages: ['ghcr.io/memo-2023/quote-backend:main-1a2b3c4'],
    });
    expect(outputs).toMatchObject({
      slot: 'green',
      previousTag: 'main',
      liveSlot: 'green',
    });
  });

  it('updating the live slot in staging: blue gets the tag, traffic stays on blue', async () => {
    // chat-web's layout at the root of the workspace (the example's default path).
    await runAction(
      createGitopsRenderAction(),
      {
        name: 'chat-web',
        system: 'chat',
        kind: 'website',
        image: 'ghcr.io/memo-2023/chat-web',
        domain: 'mana.how',
      },
      { workspacePath: workspace.path },
    );
    const { outputs, changed, state } = await pin(
      examples[1],
      'apps/chat-web/overlays/staging',
    );
    expect(changed).toEqual(['compose.yml', 'kustomization.yaml']);
    expect(state).toEqual({
      tags: { 'chat-web-blue': 'main-9f8e7d6', 'chat-web-green': 'main' },
      liveSlot: 'blue',
      composeImages: ['ghcr.io/memo-2023/chat-web:main-9f8e7d6'],
    });
    expect(outputs).toMatchObject({
      slot: 'blue',
      previousTag: 'main',
      liveSlot: 'blue',
    });
    expect(outputs.summary).toContain('traffic: stays on **blue**');
  });
});
