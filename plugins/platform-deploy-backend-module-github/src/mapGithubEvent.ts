import { DeploymentEventInput } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { z } from 'zod/v3';

const login = z.object({ login: z.string().optional() }).passthrough();

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
    deployment_status: z
      .object({
        id: z.number(),
        state: z.string().max(32),
        created_at: z.string().max(40),
        target_url: z.string().max(2048).nullish(),
        log_url: z.string().max(2048).nullish(),
        creator: login.nullish(),
      })
      .passthrough()
      .optional(),
    repository: z.object({ full_name: z.string().max(255) }).passthrough(),
  })
  .passthrough();

/** What a GitHub `deployment` or `deployment_status` payload holds that we read. */
type GithubDeploymentPayload = {
  deployment?: {
    id: number;
    sha: string;
    ref: string;
    environment: string;
    created_at: string;
    payload?: unknown;
    creator?: { login?: string };
  };
  deployment_status?: {
    id: number;
    state: string;
    created_at: string;
    target_url?: string | null;
    log_url?: string | null;
    creator?: { login?: string };
  };
  repository?: { full_name: string };
};

export type MappedEvent = { event: DeploymentEventInput } | { ignored: string };

const STATES: Record<string, DeploymentEventInput['status'] | undefined> = {
  success: 'succeeded',
  failure: 'failed',
  error: 'failed',
  pending: 'started',
  queued: 'started',
  in_progress: 'started',
};

/** Image-tag-like version: `payload.version` if given, else `<ref>-<sha7>`. */
function versionOf(
  deployment: NonNullable<GithubDeploymentPayload['deployment']>,
) {
  const payload = deployment.payload as { version?: unknown } | undefined;
  if (typeof payload?.version === 'string') return payload.version;
  const ref = deployment.ref
    .replace(/^refs\/(heads|tags)\//, '')
    .replace(/[^\w.\-+]/g, '-');
  return `${ref}-${deployment.sha.slice(0, 7)}`;
}

/**
 * Maps a GitHub deployment webhook to one of our events, or says why it is
 * ignored. `entityRefsForRepo` are the entities whose
 * `github.com/project-slug` is the repository; in a monorepo the deployment's
 * `payload.entityRef` (or `payload.component`) picks one.
 */
export function mapGithubEvent(options: {
  eventName: string;
  payload: GithubDeploymentPayload;
  environments: string[];
  aliases: Record<string, string>;
  entityRefsForRepo: string[];
}): MappedEvent {
  const { eventName, payload, environments, aliases, entityRefsForRepo } =
    options;
  if (eventName !== 'deployment' && eventName !== 'deployment_status') {
    return { ignored: `event ${eventName} is not a deployment event` };
  }
  const deployment = payload.deployment;
  if (!deployment || !payload.repository) {
    return { ignored: 'payload has no deployment or repository' };
  }
  const environment = aliases[deployment.environment] ?? deployment.environment;
  if (!environments.includes(environment)) {
    return { ignored: `environment ${deployment.environment} is not tracked` };
  }

  let entityRef: string | undefined;
  const hint = deployment.payload as
    | { entityRef?: unknown; component?: unknown }
    | undefined;
  if (entityRefsForRepo.length === 1) {
    entityRef = entityRefsForRepo[0];
  } else if (typeof hint?.entityRef === 'string') {
    entityRef = entityRefsForRepo.find(r => r === hint.entityRef);
  } else if (typeof hint?.component === 'string') {
    entityRef = entityRefsForRepo.find(
      r => r === `component:default/${hint.component}`,
    );
  }
  if (!entityRef) {
    return {
      ignored: `repository ${payload.repository.full_name} maps to ${entityRefsForRepo.length} entities and the deployment names none of them`,
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
  const status = payload.deployment_status!;
  const mapped = STATES[status.state];
  if (!mapped) {
    return { ignored: `deployment status ${status.state} is not tracked` };
  }
  return {
    event: {
      ...common,
      status: mapped,
      idempotencyKey: `github:deployment_status:${status.id}`,
      finishedAt: mapped === 'started' ? undefined : status.created_at,
      runUrl: status.target_url || status.log_url || undefined,
      actor: status.creator?.login ?? deployment.creator?.login,
    },
  };
}
