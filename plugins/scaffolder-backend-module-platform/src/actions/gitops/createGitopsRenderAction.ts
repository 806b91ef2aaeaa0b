import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z as zod } from 'zod/v3';
import { InputError } from '@backstage/errors';
import {
  parseInput,
  assertServiceNames,
  DOMAIN,
  assertNotExisting,
  MAX_NAME_LENGTH,
  resolveWorkspacePath,
  writeFiles,
} from '../../validation';
import { namespaceName } from '../infra/terraform';
import { examples } from './gitopsRender.examples';
import { renderGitops, ServiceKind } from './manifests';
import { IMAGE_TAG } from './setImage';

/** A container image without tag: registry host, then lowercase path parts. */
const IMAGE_NAME =
  /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/;

/** The action's input; the handler parses with it, so defaults apply. */
export function gitopsRenderInputSchema(z: typeof zod) {
  return z
    .object({
      name: z.string().describe('Service name (DNS-safe)'),
      system: z.string().optional().describe('System of the service'),
      kind: z
        .enum(['service', 'website', 'landing'])
        .default('service')
        .describe(
          'What runs: a backend (0.5 CPU / 512Mi), a web app (0.25 / 256Mi) or a landing page (0.1 / 128Mi)',
        ),
      image: z
        .string()
        .describe(
          'Container image without tag, e.g. ghcr.io/memo-2023/quote-backend',
        ),
      tag: z.string().default('main').describe('Initial image tag'),
      port: z
        .number()
        .int()
        .min(1)
        .max(65535)
        .default(3000)
        .describe('Container port'),
      healthPath: z.string().default('/health').describe('Health check path'),
      domain: z
        .string()
        .describe(
          'Base domain: <name>.<domain> in production, <name>.<environment>.<domain> elsewhere',
        ),
      environments: z
        .array(z.string())
        .min(1)
        .default(['staging', 'production'])
        .describe('Environments, in promotion order'),
      path: z
        .string()
        .default('.')
        .describe('Root of the GitOps repository layout in the workspace'),
    })
    .strict();
}

/**
 * `platform:gitops:render`: writes the deployment of a service into a GitOps
 * repository layout: Kustomize base and per-environment overlays with
 * blue/green slots, a Flux Kustomization per environment, and the Docker
 * Compose service of the single-server platform, and the estate's alert
 * rules for the service (`apps/<name>/monitoring/alert-rules.yaml`, every
 * alert labelled `service=<name>`; runbook links start with `portalUrl`,
 * the portal's `app.baseUrl`, by default the estate's portal).
 *
 * @public
 */
export function createGitopsRenderAction(options: { portalUrl?: string } = {}) {
  return createTemplateAction({
    id: 'platform:gitops:render',
    description:
      'Writes Kustomize base and staging/production overlays (Deployment per blue/green slot, Service, Ingress, HPA, PodDisruptionBudget), a Flux Kustomization per environment the Docker Compose service and the Prometheus alert rules (labelled service=<name>) of a new service into a GitOps layout',
    examples,
    supportsDryRun: true,
    schema: {
      input: gitopsRenderInputSchema,
      output: {
        files: z =>
          z
            .array(z.string())
            .describe('Files written, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const input = parseInput(gitopsRenderInputSchema(zod), ctx.input);
      const { name, system, environments } = assertServiceNames(input);
      if (input.image.length > 200 || !IMAGE_NAME.test(input.image)) {
        throw new InputError(
          `image must be an image name without tag such as ghcr.io/org/service, got ${JSON.stringify(
            input.image.slice(0, 100),
          )}`,
        );
      }
      if (!IMAGE_TAG.test(input.tag)) {
        throw new InputError(
          `tag must be a Docker tag, got ${JSON.stringify(
            input.tag.slice(0, 100),
          )}`,
        );
      }
      if (!/^\/[A-Za-z0-9/._-]{0,100}$/.test(input.healthPath)) {
        throw new InputError(
          `healthPath must be a path such as /health, got ${JSON.stringify(
            input.healthPath.slice(0, 100),
          )}`,
        );
      }
      if (
        input.domain.length > 253 - MAX_NAME_LENGTH ||
        !DOMAIN.test(input.domain)
      ) {
        throw new InputError(
          `domain must be a domain such as mana.how, got ${JSON.stringify(
            input.domain.slice(0, 100),
          )}`,
        );
      }
      resolveWorkspacePath(ctx.workspacePath, 'path', input.path);
      assertNotExisting(ctx.workspacePath, {
        root: input.path,
        rootField: 'path',
        field: 'name',
        relative: `apps/${name}`,
      });

      const production = environments[environments.length - 1];
      const files = renderGitops(
        {
          name,
          system,
          kind: input.kind as ServiceKind,
          image: input.image,
          tag: input.tag,
          port: input.port,
          healthPath: input.healthPath,
          environments,
          hosts: Object.fromEntries(
            environments.map(env => [
              env,
              env === production
                ? `${name}.${input.domain}`
                : `${name}.${env}.${input.domain}`,
            ]),
          ),
          namespaces: Object.fromEntries(
            environments.map(env => [
              env,
              namespaceName({ name, system }, env),
            ]),
          ),
          portalUrl: options.portalUrl,
        },
        input.path,
      );
      const written = await writeFiles(ctx.workspacePath, files);
      ctx.logger.info(
        `Rendered the GitOps layout of ${name} for ${environments.join(
          ', ',
        )}: ${written.length} files`,
      );
      ctx.output('files', written);
    },
  });
}
