import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DeploymentEventInput,
  isHttpUrl,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { z } from 'zod/v3';

const login = z.object({ login: z.string().optional() }).passthrough();

const deploymentStatusSchema = z
  .object({
    id: z.number(),
    state: z.string().max(32),
    created_at: z.string().max(40),
    target_url: z.string().max(2048).nullish(),
    log_url: z.string().max(2048).nullish(),
    creator: login.nullish(),
  })
  .passthrough();

/**
 * The fields of a `deployment` / `deployment_status` payload that we read,
 * with the types GitHub documents; other fields pass through unchecked. A
 * payload of the wrong shape is rejected (400) before it is mapped.
 */
export const githubDeploymentPayloadSchema = z
  .object({
    deployment: z
      .object({
        id: z.number(),
        sha: z.string().max(64),
        ref: z.string().max(255),
        environment: z.string().max(255),
        created_at: z.string().max(40),
        payload: z.unknown().optional(),
        creator: login.nullish(),
      })
      .passthrough(),
    deployment_status: deploymentStatusSchema.optional(),
    repository: z.object({ full_name: z.string().max(255) }).passthrough(),
  })
  .passthrough();

/** A `deployment_status` payload: the same, with its deployment status. */
export const githubDeploymentStatusPayloadSchema =
  githubDeploymentPayloadSchema.extend({
    deployment_status: deploymentStatusSchema,
  });

/** What a GitHub `deployment` or `deployment_status` payload holds that we read. */
export type GithubDeploymentPayload = z.infer<
  typeof githubDeploymentPayloadSchema
>;

/** The two events this module maps; every other event is ignored. */
export function isDeploymentEvent(
  eventName: string,
): eventName is 'deployment' | 'deployment_status' {
  return eventName === 'deployment' || eventName === 'deployment_status';
}

export type MappedEvent = { event: DeploymentEventInput } | { ignored: string };

const STATES = new Map<string, DeploymentEventInput['status']>([
  ['success', 'succeeded'],
  ['failure', 'failed'],
  ['error', 'failed'],
  ['pending', 'started'],
  ['queued', 'started'],
  ['in_progress', 'started'],
]);

/** Image-tag-like version: `payload.version` if given, else `<ref>-<sha7>`. */
function versionOf(deployment: GithubDeploymentPayload['deployment']) {
  const payload = deployment.payload as { version?: unknown } | undefined;
  if (typeof payload?.version === 'string') return payload.version;
  const ref = deployment.ref
    .replace(/^refs\/(heads|tags)\//, '')
    .replace(/[^\w.\-+]/g, '-');
  return `${ref}-${deployment.sha.slice(0, 7)}`;
}

/** Lower-case `kind:namespace/name` of a ref as a deployment names it, or undefined. */
function normalizeRef(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * The entity a deployment is about, among those of its repository: the only
 * one, else the one its `payload.entityRef` names (in any case, kind and
 * namespace defaulting as in the catalog), else the only one whose name is
 * its `payload.component` (in any namespace).
 */
function pickEntity(
  entityRefsForRepo: string[],
  hint: { entityRef?: unknown; component?: unknown } | undefined,
): string | undefined {
  if (entityRefsForRepo.length === 1) return entityRefsForRepo[0];
  if (typeof hint?.entityRef === 'string') {
    const wanted = normalizeRef(hint.entityRef);
    return entityRefsForRepo.find(ref => ref === wanted);
  }
  if (typeof hint?.component === 'string') {
    const name = hint.component.toLocaleLowerCase('en-US');
    const named = entityRefsForRepo.filter(
      ref => parseEntityRef(ref).name === name,
    );
    return named.length === 1 ? named[0] : undefined;
  }
  return undefined;
}

/**
 * Maps a GitHub deployment webhook to one of our events, or says why it is
 * ignored. `entityRefsForRepo` are the entities the repository maps to (the
 * explicit map of config, else the entities from trusted locations whose
 * `github.com/project-slug` is the repository); in a monorepo the
 * deployment's `payload.entityRef` (or `payload.component`) picks one.
 * `untrustedClaims` (entities from other locations that claim the
 * repository, never used) only explain an ignored delivery. The run URL is
 * the status's `target_url`, else its `log_url`, whichever is http(s); any
 * other scheme (`javascript:`) is dropped.
 */
export function mapGithubEvent(options: {
  eventName: string;
  payload: GithubDeploymentPayload;
  environments: string[];
  aliases: Record<string, string>;
  entityRefsForRepo: string[];
  untrustedClaims?: string[];
}): MappedEvent {
  const { eventName, payload, environments, aliases, entityRefsForRepo } =
    options;
  if (!isDeploymentEvent(eventName)) {
    return { ignored: `event ${eventName} is not a deployment event` };
  }
  const deployment = payload.deployment;
  const environment = Object.hasOwn(aliases, deployment.environment)
    ? aliases[deployment.environment]
    : deployment.environment;
  if (!environments.includes(environment)) {
    return { ignored: `environment ${deployment.environment} is not tracked` };
  }

  const entityRef = pickEntity(
    entityRefsForRepo,
    deployment.payload as { entityRef?: unknown; component?: unknown },
  );
  if (!entityRef) {
    const untrusted = options.untrustedClaims ?? [];
    return {
      ignored: `repository ${payload.repository.full_name} maps to ${
        entityRefsForRepo.length
      } entities and the deployment names none of them${
        untrusted.length
          ? ` (not from a trusted location, so not used: ${untrusted.join(
              ', ',
            )})`
          : ''
      }`,
    };
  }

  const common = {
    entityRef,
    environment,
    version: versionOf(deployment),
    commitSha: deployment.sha,
    startedAt: deployment.created_at,
  };
  if (eventName === 'deployment') {
    return {
      event: {
        ...common,
        status: 'started',
        idempotencyKey: `github:deployment:${deployment.id}`,
        actor: deployment.creator?.login,
      },
    };
  }
  const status = payload.deployment_status;
  if (!status) {
    return { ignored: 'deployment_status event without a deployment status' };
  }
  const mapped = STATES.get(status.state);
  if (!mapped) {
    return { ignored: `deployment status ${status.state} is not tracked` };
  }
  return {
    event: {
      ...common,
      status: mapped,
      idempotencyKey: `github:deployment_status:${status.id}`,
      finishedAt: mapped === 'started' ? undefined : status.created_at,
      runUrl: [status.target_url, status.log_url].find(isHttpUrl),
      actor: status.creator?.login ?? deployment.creator?.login,
    },
  };
}
