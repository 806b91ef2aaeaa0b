import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { platformDeployChangePermission } from '@platform-portal/backstage-plugin-platform-deploy-common';
import path from 'node:path';
import { readTree, runAction } from '../../__testUtils__/actions';
import { createGitopsSetImageAction } from './createGitopsSetImageAction';

const GOLDEN_GITOPS = path.join(__dirname, '__golden__/quote-backend/gitops');

describe('platform:gitops:set-image', () => {
  const workspace = createMockDirectory();

  beforeEach(() => {
    workspace.clear();
    // A checkout of the GitOps repository, as platform:gitops:render left it.
    workspace.setContent(
      Object.fromEntries(
        Object.entries(readTree(GOLDEN_GITOPS)).map(([file, content]) => [
          `gitops/${file}`,
          content,
        ]),
      ),
    );
  });

  const input = {
    entityRef: 'component:default/quote-backend',
    environment: 'production',
    tag: 'main-abc1234',
    path: 'gitops',
  };

  it('pins the idle slot, switches traffic and describes it for the pull request', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async () => [{ result: AuthorizeResult.ALLOW }],
    });
    const action = createGitopsSetImageAction({ permissions });
    const before = readTree(workspace.path);
    const outputs = await runAction(action, input, {
      workspacePath: workspace.path,
      userRef: 'user:default/quinn',
    });
    expect(outputs).toMatchObject({
      slot: 'green',
      previousTag: 'main',
      liveSlot: 'green',
      files: [
        'gitops/apps/quote-backend/overlays/production/kustomization.yaml',
        'gitops/apps/quote-backend/overlays/production/live-slot.yaml',
        'gitops/apps/quote-backend/overlays/production/compose.yml',
      ],
    });
    expect(outputs.summary).toContain(
      'slot **green**: `main` → `main-abc1234`',
    );
    expect(outputs.summary).toContain('traffic: **blue** → **green**');
    expect(outputs.summary).toContain('Requested by user:default/quinn');

    const after = readTree(workspace.path);
    const changed = Object.keys(after).filter(f => after[f] !== before[f]);
    expect(changed.sort()).toEqual([...(outputs.files as string[])].sort());

    // Asked for the target entity, for the user who started the task.
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: platformDeployChangePermission,
          resourceRef: 'component:default/quote-backend',
        },
      ],
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({
            userEntityRef: 'user:default/quinn',
          }),
        }),
      },
    );
  });

  it('refuses someone the permission framework denies, before touching a file', async () => {
    const action = createGitopsSetImageAction({
      permissions: mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.DENY }],
      }),
    });
    const before = readTree(workspace.path);
    await expect(
      runAction(action, input, {
        workspacePath: workspace.path,
        isDryRun: true,
      }),
    ).rejects.toThrow(
      'You may not change what runs for component:default/quote-backend: rollback and promotion are for its owners and the platform team',
    );
    expect(readTree(workspace.path)).toEqual(before);
  });

  describe('says clearly what is missing', () => {
    const action = createGitopsSetImageAction({
      permissions: mockServices.permissions(),
    });

    it.each([
      [
        'an unknown service',
        { entityRef: 'component:default/chat-backend' },
        'name: the GitOps repository has no service chat-backend (no apps/chat-backend/overlays)',
      ],
      [
        'an unknown environment',
        { environment: 'qa' },
        'environment: quote-backend has no qa overlay (it has production, staging)',
      ],
      [
        'a bad entity ref',
        { entityRef: 'component:' },
        'entityRef must be an entity reference',
      ],
      ['a parent path', { path: '../..' }, "path must not contain '..'"],
      [
        'a template expression',
        { environment: '${{ secrets.x }}' },
        'environment contains a template expression',
      ],
      [
        'a bad slot',
        { slot: 'purple' },
        "slot: Invalid enum value. Expected 'idle' | 'live' | 'blue' | 'green'",
      ],
    ])('%s', async (_, change, message) => {
      await expect(
        runAction(
          action,
          { ...input, ...change },
          { workspacePath: workspace.path },
        ),
      ).rejects.toThrow(message);
    });
  });
});
