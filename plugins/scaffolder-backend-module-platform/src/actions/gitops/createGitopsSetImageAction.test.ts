import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { platformDeployChangePermission } from '@platform-portal/backstage-plugin-platform-deploy-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fakeTrustedCatalog,
  readTree,
  runAction,
} from '../../__testUtils__/actions';
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
    const action = createGitopsSetImageAction({
      permissions,
      ...fakeTrustedCatalog(),
    });
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
      ...fakeTrustedCatalog(),
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

  describe('follows no symbolic link in the checkout', () => {
    const action = createGitopsSetImageAction({
      permissions: mockServices.permissions(),
      ...fakeTrustedCatalog(),
    });
    const overlay = 'gitops/apps/quote-backend/overlays/production';
    let outside: string;

    beforeEach(() => {
      outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    });
    afterEach(() => fs.rmSync(outside, { recursive: true, force: true }));

    /** Runs the pin; returns the error and every line the task logged. */
    async function pinWithLog() {
      const lines: string[] = [];
      const error = await runAction(action, input, {
        workspacePath: workspace.path,
        log: line => lines.push(line),
      }).then(
        () => undefined,
        e => e as Error,
      );
      return { error, log: lines.join('\n') };
    }

    it("a kustomization.yaml linked to /proc/self/environ: refused, the backend's environment never in the log", async () => {
      const file = workspace.resolve(`${overlay}/kustomization.yaml`);
      fs.rmSync(file);
      fs.symlinkSync('/proc/self/environ', file);
      const { error, log } = await pinWithLog();
      expect(error?.name).toBe('InputError');
      expect(error?.message).toBe(
        `path: ${overlay}/kustomization.yaml is a symbolic link; the portal's actions follow no links in a workspace`,
      );
      for (const text of [error?.message ?? '', log]) {
        expect(text).not.toContain('PATH=');
        expect(text).not.toContain(process.env.PATH!);
      }
    });

    it('a live-slot.yaml linked to a file outside the workspace: refused, the file untouched', async () => {
      const target = path.join(outside, 'live-slot.yaml');
      const file = workspace.resolve(`${overlay}/live-slot.yaml`);
      fs.renameSync(file, target);
      fs.symlinkSync(target, file);
      const before = fs.readFileSync(target, 'utf8');
      const { error } = await pinWithLog();
      expect(error?.message).toBe(
        `path: ${overlay}/live-slot.yaml is a symbolic link; the portal's actions follow no links in a workspace`,
      );
      expect(fs.readFileSync(target, 'utf8')).toBe(before);
    });

    it('an overlay directory linked elsewhere: refused, nothing written there', async () => {
      const dir = workspace.resolve(overlay);
      const target = path.join(outside, 'production');
      fs.renameSync(dir, target);
      fs.symlinkSync(target, dir);
      const before = readTree(outside);
      const { error } = await pinWithLog();
      expect(error?.message).toBe(
        `path: ${overlay} is a symbolic link; the portal's actions follow no links in a workspace`,
      );
      expect(readTree(outside)).toEqual(before);
    });

    it('a linked directory further up (apps -> elsewhere inside the workspace): refused', async () => {
      fs.renameSync(
        workspace.resolve('gitops/apps'),
        workspace.resolve('elsewhere'),
      );
      fs.symlinkSync('../elsewhere', workspace.resolve('gitops/apps'));
      const before = readTree(workspace.path);
      const { error } = await pinWithLog();
      expect(error?.message).toBe(
        "path: gitops/apps is a symbolic link; the portal's actions follow no links in a workspace",
      );
      expect(readTree(workspace.path)).toEqual(before);
    });

    it('a dangling compose.yml link: refused, nothing created where it points', async () => {
      const file = workspace.resolve(`${overlay}/compose.yml`);
      fs.rmSync(file);
      const target = path.join(outside, 'created-by-the-action.yml');
      fs.symlinkSync(target, file);
      const { error } = await pinWithLog();
      expect(error?.message).toBe(
        `path: ${overlay}/compose.yml is a symbolic link; the portal's actions follow no links in a workspace`,
      );
      expect(fs.existsSync(target)).toBe(false);
    });
  });

  describe('says clearly what is missing', () => {
    const action = createGitopsSetImageAction({
      permissions: mockServices.permissions(),
      ...fakeTrustedCatalog(),
    });

    it.each([
      [
        'an unknown service',
        { entityRef: 'component:default/chat-backend' },
        'entityRef: the GitOps repository has no apps/chat-backend/overlays for component:default/chat-backend',
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
