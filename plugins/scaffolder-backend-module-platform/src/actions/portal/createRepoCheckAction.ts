import { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { parseInput } from '../../validation';
import { examples } from './repoCheck.examples';
import { assertAllowedRepo, readRepoPolicy } from './repoPolicy';

/** The action's input; the handler parses with it. */
export function repoCheckInputSchema(z: typeof zod) {
  return z
    .object({
      repoUrls: z
        .array(z.string().max(1000))
        .min(1)
        .max(10)
        .describe(
          'Every repository the task publishes to, as the RepoUrlPicker fills them in (github.com?owner=mana&repo=gitops)',
        ),
    })
    .strict();
}

/**
 * `platform:repo:check`: refuses, on the server, a task that would publish
 * to a repository outside `platformPortal.scaffolder.allowedOwners` /
 * `allowedRepos` (on an allowed host, `github.com` by default). The portal's
 * GitHub token can write to more than its templates should touch, and the
 * RepoUrlPicker's `allowedOwners` only shape the form; every template that
 * publishes runs this first.
 *
 * @public
 */
export function createRepoCheckAction(options: { config: Config }) {
  const policy = readRepoPolicy(options.config);
  const integrations = ScmIntegrations.fromConfig(options.config);
  return createTemplateAction({
    id: 'platform:repo:check',
    description:
      'Refuses the task unless every repository it publishes to is allowed by the portal (platformPortal.scaffolder.allowedOwners, allowedRepos, allowedHosts); the first step of every template that publishes',
    examples,
    supportsDryRun: true,
    schema: {
      input: repoCheckInputSchema,
      output: {
        repos: z =>
          z.array(z.string()).describe('The repositories, as host/owner/repo'),
      },
    },
    async handler(ctx) {
      const input = parseInput(repoCheckInputSchema(zod), ctx.input);
      const repos = input.repoUrls.map((url, i) =>
        assertAllowedRepo(policy, integrations, `repoUrls[${i}]`, url),
      );
      ctx.logger.info(`Publishing to ${repos.join(', ')} is allowed`);
      ctx.output('repos', repos);
    },
  });
}
