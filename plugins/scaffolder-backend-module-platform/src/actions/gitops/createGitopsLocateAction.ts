import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { assertDnsName, parseInput } from '../../validation';
import { examples } from './gitopsLocate.examples';
import {
  assertUserPrincipal,
  GitopsTargetOptions,
  normalizeEntityRef,
  resolveGitopsTarget,
} from './gitopsTarget';

/** The action's input; the handler parses with it, so defaults apply. */
export function gitopsLocateInputSchema(z: typeof zod) {
  return z
    .object({
      entityRef: z
        .string()
        .describe('The component, e.g. component:default/quote-backend'),
      environment: z.string().describe('Environment, e.g. production'),
    })
    .strict();
}

/**
 * `platform:gitops:locate`: where a component lives in the GitOps
 * repository, for a template to fetch what `platform:gitops:set-image` will
 * change: the entity is read from the catalog with the initiator's
 * credentials and must be a Component from a trusted location; the
 * directory is its own (`apps/<name>` in the default namespace,
 * `apps/<namespace>/<name>` elsewhere), by the same rule set-image applies.
 * It reads and writes no file and authorizes nothing (set-image does); a
 * task started by anything but a user is refused here already.
 *
 * @public
 */
export function createGitopsLocateAction(options: GitopsTargetOptions) {
  return createTemplateAction({
    id: 'platform:gitops:locate',
    description:
      'Where a component lives in the GitOps repository (apps/<name>, or apps/<namespace>/<name> outside the default namespace), read from the catalog; refuses an entity that is missing, not a Component or not from a trusted location. For the fetch before platform:gitops:set-image',
    examples,
    supportsDryRun: true,
    schema: {
      input: gitopsLocateInputSchema,
      output: {
        entityRef: z => z.string().describe('The entity ref, normalised'),
        name: z =>
          z.string().describe('The service name, for branches and titles'),
        appPath: z =>
          z.string().describe('Its directory, e.g. apps/quote-backend'),
        overlayPath: z =>
          z
            .string()
            .describe(
              "The environment's overlay, e.g. apps/quote-backend/overlays/production",
            ),
      },
    },
    async handler(ctx) {
      const input = parseInput(gitopsLocateInputSchema(zod), ctx.input);
      const entityRef = normalizeEntityRef(input.entityRef);
      const environment = assertDnsName('environment', input.environment);
      const credentials = await ctx.getInitiatorCredentials();
      assertUserPrincipal(credentials, entityRef);
      const target = await resolveGitopsTarget(options, entityRef, credentials);
      const overlayPath = `${target.appPath}/overlays/${environment}`;
      ctx.logger.info(`${target.entityRef} lives in ${target.appPath}`);
      ctx.output('entityRef', target.entityRef);
      ctx.output('name', target.name);
      ctx.output('appPath', target.appPath);
      ctx.output('overlayPath', overlayPath);
    },
  });
}
