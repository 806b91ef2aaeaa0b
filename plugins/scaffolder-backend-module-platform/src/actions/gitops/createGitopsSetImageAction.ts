import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  platformDeployChangePermission,
  platformDeployGitopsOverridePermission,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { authorize } from '@platform-portal/backstage-plugin-platform-node';
import path from 'node:path';
import {
  assertDnsName,
  listWorkspaceDir,
  parseInput,
  readWorkspaceFile,
  resolveWorkspacePath,
  writeWorkspaceFile,
} from '../../validation';
import { examples } from './gitopsSetImage.examples';
import {
  assertUserPrincipal,
  GitopsTargetOptions,
  normalizeEntityRef,
  resolveGitopsTarget,
} from './gitopsTarget';
import { OverlayFiles, setImage } from './setImage';

const FILE_NAMES: Record<keyof OverlayFiles, string> = {
  kustomization: 'kustomization.yaml',
  liveSlot: 'live-slot.yaml',
  compose: 'compose.yml',
};

/** The action's input; the handler parses with it, so defaults apply. */
export function gitopsSetImageInputSchema(z: typeof zod) {
  return z
    .object({
      entityRef: z
        .string()
        .describe(
          'The component to change, e.g. component:default/quote-backend; the initiator needs platform-deploy.change on it',
        ),
      name: z
        .string()
        .optional()
        .describe(
          "Another service directory (apps/<name>) than the entity's own; for the platform team only (platform-deploy.gitops.override)",
        ),
      environment: z.string().describe('Environment, e.g. production'),
      tag: z.string().describe('Image tag, e.g. main-abc1234'),
      slot: z
        .enum(['idle', 'live', 'blue', 'green'])
        .default('idle')
        .describe('Slot that gets the tag'),
      switchTraffic: z
        .boolean()
        .default(true)
        .describe('Send traffic to that slot afterwards'),
      path: z
        .string()
        .default('.')
        .describe('Root of the GitOps checkout in the workspace'),
    })
    .strict();
}

/**
 * `platform:gitops:set-image`: in a checkout of the GitOps repository,
 * pins the image tag of one service's slot in one environment and switches
 * traffic to it, touching nothing else. Rollback and promotion are this
 * action followed by `publish:github:pull-request`.
 *
 * What it refuses, on the server, before it reads a file:
 * - a task started by anything but a user (a plugin's or a service's
 *   credentials pass every permission check);
 * - a user without `platform-deploy.change` on the target entity (its owners
 *   and the platform team, in the portal's policy);
 * - a `name` (another service's directory) without
 *   `platform-deploy.gitops.override` (the platform team);
 * - an entity that is not in the catalog, not a Component, or not from a
 *   trusted location.
 * The directory it changes is the entity's own: `apps/<name>` in the
 * default namespace, `apps/<namespace>/<name>` in any other.
 *
 * @public
 */
export function createGitopsSetImageAction(
  options: {
    permissions: PermissionsService;
  } & GitopsTargetOptions,
) {
  return createTemplateAction({
    id: 'platform:gitops:set-image',
    description:
      "Pins the image tag of one service in one environment of a GitOps checkout (the idle blue/green slot by default, then switches traffic to it), keeping the rest of each file as it was; for rollback and promotion. The service's directory is the target entity's own (apps/<name>, or apps/<namespace>/<name> outside the default namespace); the entity must come from a trusted catalog location",
    examples,
    supportsDryRun: true,
    schema: {
      input: gitopsSetImageInputSchema,
      output: {
        files: z => z.array(z.string()).describe('Files changed'),
        previousTag: z => z.string().describe('Tag the slot had before'),
        slot: z => z.string().describe('Slot that got the tag'),
        liveSlot: z => z.string().describe('Slot that receives traffic now'),
        summary: z => z.string().describe('Markdown for the pull request body'),
      },
    },
    async handler(ctx) {
      const input = parseInput(gitopsSetImageInputSchema(zod), ctx.input);
      const entityRef = normalizeEntityRef(input.entityRef);
      const override =
        input.name === undefined
          ? undefined
          : assertDnsName('name', input.name);
      const environment = assertDnsName('environment', input.environment);

      const credentials = await ctx.getInitiatorCredentials();
      assertUserPrincipal(credentials, entityRef);
      await authorize(
        options.permissions,
        credentials,
        { permission: platformDeployChangePermission, resourceRef: entityRef },
        `You may not change what runs for ${entityRef}: rollback and promotion are for its owners and the platform team`,
      );
      if (override !== undefined) {
        await authorize(
          options.permissions,
          credentials,
          { permission: platformDeployGitopsOverridePermission },
          `name: only the platform team may choose the GitOps directory (platform-deploy.gitops.override); without name, ${entityRef}'s own directory is changed`,
        );
      }
      const target = await resolveGitopsTarget(options, entityRef, credentials);
      const name = override ?? target.name;
      const appPath = override ? `apps/${override}` : target.appPath;

      // Every read and write below refuses a symbolic link on any path
      // component: the checkout is a repository's content.
      resolveWorkspacePath(ctx.workspacePath, 'path', input.path);
      const dir = path.posix.join(input.path, appPath, 'overlays', environment);
      const read = (file: string) =>
        readWorkspaceFile(ctx.workspacePath, 'path', `${dir}/${file}`);
      const kustomization = read(FILE_NAMES.kustomization);
      if (kustomization === undefined) {
        const environments = listWorkspaceDir(
          ctx.workspacePath,
          'path',
          path.posix.join(input.path, appPath, 'overlays'),
        )
          .map(entry => entry.name)
          .sort();
        throw new InputError(
          environments.length
            ? `environment: ${name} has no ${environment} overlay (it has ${environments.join(
                ', ',
              )})`
            : `${
                override ? 'name' : 'entityRef'
              }: the GitOps repository has no ${appPath}/overlays for ${entityRef}`,
        );
      }
      const result = setImage(
        {
          kustomization,
          liveSlot: read(FILE_NAMES.liveSlot),
          compose: read(FILE_NAMES.compose),
        },
        {
          name,
          environment,
          tag: input.tag,
          slot: input.slot,
          switchTraffic: input.switchTraffic,
        },
      );

      const changed = result.changed.map(key => `${dir}/${FILE_NAMES[key]}`);
      for (const key of result.changed) {
        await writeWorkspaceFile(
          ctx.workspacePath,
          'path',
          `${dir}/${FILE_NAMES[key]}`,
          result.files[key]!,
        );
      }
      const summary = [
        `### ${name} in ${environment}: ${input.tag}`,
        '',
        `- slot **${result.slot}**: \`${result.previousTag}\` → \`${input.tag}\``,
        `- traffic: ${
          result.liveSlot === result.previousLiveSlot
            ? `stays on **${result.liveSlot}**`
            : `**${result.previousLiveSlot}** → **${result.liveSlot}**`
        }`,
        result.liveSlot === result.previousLiveSlot
          ? '- to undo: pin the previous tag again'
          : `- to undo: switch traffic back to **${result.previousLiveSlot}**, which keeps its image`,
        '',
        `Requested by ${ctx.user?.ref ?? 'unknown'} for ${entityRef}.`,
      ].join('\n');
      ctx.logger.info(
        `${name} in ${environment}: slot ${result.slot} ${
          result.previousTag
        } -> ${input.tag}, live slot ${result.liveSlot}; changed ${
          changed.join(', ') || 'nothing'
        }`,
      );
      ctx.output('files', changed);
      ctx.output('previousTag', result.previousTag);
      ctx.output('slot', result.slot);
      ctx.output('liveSlot', result.liveSlot);
      ctx.output('summary', summary);
    },
  });
}
