import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { platformDeployChangePermission } from '@platform-portal/backstage-plugin-platform-deploy-common';
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
import { overlayDir } from './manifests';
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
          "Service name in the GitOps repository; the entity's name by default",
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
 * Only those allowed `platform-deploy.change` on the target entity (its
 * owners and the platform team, in the portal's policy) may run it; the
 * check is made here, on the server, for the user who started the task.
 *
 * @public
 */
export function createGitopsSetImageAction(options: {
  permissions: PermissionsService;
}) {
  return createTemplateAction({
    id: 'platform:gitops:set-image',
    description:
      'Pins the image tag of one service in one environment of a GitOps checkout (the idle blue/green slot by default, then switches traffic to it), keeping the rest of each file as it was; for rollback and promotion',
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
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(
          parseEntityRef(input.entityRef, { defaultKind: 'component' }),
        );
      } catch (error) {
        throw new InputError(
          `entityRef must be an entity reference such as component:default/quote-backend, got ${JSON.stringify(
            input.entityRef,
          )}`,
        );
      }
      const name = assertDnsName(
        'name',
        input.name ?? parseEntityRef(entityRef).name,
      );
      const environment = assertDnsName('environment', input.environment);

      await authorize(
        options.permissions,
        await ctx.getInitiatorCredentials(),
        { permission: platformDeployChangePermission, resourceRef: entityRef },
        `You may not change what runs for ${entityRef}: rollback and promotion are for its owners and the platform team`,
      );

      // Every read and write below refuses a symbolic link on any path
      // component: the checkout is a repository's content.
      resolveWorkspacePath(ctx.workspacePath, 'path', input.path);
      const dir = path.posix.join(
        input.path,
        overlayDir('.', name, environment),
      );
      const read = (file: string) =>
        readWorkspaceFile(ctx.workspacePath, 'path', `${dir}/${file}`);
      const kustomization = read(FILE_NAMES.kustomization);
      if (kustomization === undefined) {
        const environments = listWorkspaceDir(
          ctx.workspacePath,
          'path',
          path.posix.join(input.path, 'apps', name, 'overlays'),
        )
          .map(entry => entry.name)
          .sort();
        throw new InputError(
          environments.length
            ? `environment: ${name} has no ${environment} overlay (it has ${environments.join(
                ', ',
              )})`
            : `name: the GitOps repository has no service ${name} (no apps/${name}/overlays)`,
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
