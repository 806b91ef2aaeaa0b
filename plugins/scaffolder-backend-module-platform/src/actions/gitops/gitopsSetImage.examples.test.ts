import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import path from 'node:path';
import yaml from 'yaml';
import { readTree, runAction, runExample } from '../../__testUtils__/actions';
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

function changedFiles(
  before: Record<string, string>,
  after: Record<string, string>,
) {
  return Object.keys(after)
    .filter(file => after[file] !== before[file])
    .sort();
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
  });

  beforeEach(() => workspace.clear());

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
    const overlay = 'gitops/apps/quote-backend/overlays/production';
    const before = readTree(workspace.path);

    const outputs = await runExample(action, examples[0], {
      workspacePath: workspace.path,
    });

    const after = readTree(workspace.path);
    expect(changedFiles(before, after)).toEqual([
      `${overlay}/compose.yml`,
      `${overlay}/kustomization.yaml`,
      `${overlay}/live-slot.yaml`,
    ]);
    expect([...(outputs.files as string[])].sort()).toEqual(
      changedFiles(before, after),
    );
    expect(overlayState(after, overlay)).toEqual({
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
    const overlay = 'apps/chat-web/overlays/staging';
    const before = readTree(workspace.path);

    const outputs = await runExample(action, examples[1], {
      workspacePath: workspace.path,
    });

    const after = readTree(workspace.path);
    expect(changedFiles(before, after)).toEqual([
      `${overlay}/compose.yml`,
      `${overlay}/kustomization.yaml`,
    ]);
    expect([...(outputs.files as string[])].sort()).toEqual(
      changedFiles(before, after),
    );
    expect(overlayState(after, overlay)).toEqual({
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
