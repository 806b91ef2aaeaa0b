/**
 * Which repositories the portal's templates may publish to, from
 * `platformPortal.scaffolder` (see the module's config.d.ts). The portal's
 * GitHub token can write to more repositories than any template should
 * touch; the RepoUrlPicker's options only shape the form, so the check is
 * made on the server by `platform:repo:check`, the first step of every
 * template that publishes.
 */
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';

/** Where the allow lists live in the app's config. */
export const REPO_POLICY_KEY = 'platformPortal.scaffolder';

/** The allow lists, as configured (compared without case). */
export interface RepoPolicy {
  allowedHosts: string[];
  allowedOwners: string[];
  allowedRepos: string[];
}

const lower = (value: string) => value.toLocaleLowerCase('en-US');
const includes = (list: string[], value: string) =>
  list.some(entry => lower(entry) === lower(value));

/** An owner (user or organisation) as GitHub allows it. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** A repository name as GitHub allows it. */
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Reads `platformPortal.scaffolder`: `allowedHosts` (default `github.com`),
 * `allowedOwners` and `allowedRepos` (`owner/repo`), both empty by default,
 * which allows nothing. Throws at startup on an entry that is not a name.
 */
export function readRepoPolicy(config: Config): RepoPolicy {
  const section = config.getOptionalConfig(REPO_POLICY_KEY);
  const list = (key: string, fallback: string[] = []) =>
    section?.getOptionalStringArray(key) ?? fallback;
  const policy = {
    allowedHosts: list('allowedHosts', ['github.com']),
    allowedOwners: list('allowedOwners'),
    allowedRepos: list('allowedRepos'),
  };
  policy.allowedOwners.forEach((owner, i) => {
    if (!OWNER.test(owner)) {
      throw new Error(
        `Invalid config: ${REPO_POLICY_KEY}.allowedOwners[${i}]: must be a GitHub owner such as mana, got ${JSON.stringify(
          owner,
        )}`,
      );
    }
  });
  policy.allowedRepos.forEach((slug, i) => {
    const [owner, repo, ...rest] = slug.split('/');
    if (rest.length || !OWNER.test(owner) || !REPO.test(repo ?? '')) {
      throw new Error(
        `Invalid config: ${REPO_POLICY_KEY}.allowedRepos[${i}]: must be owner/repo, got ${JSON.stringify(
          slug,
        )}`,
      );
    }
  });
  return policy;
}

function describePolicy(policy: RepoPolicy): string {
  const owners = policy.allowedOwners.length
    ? `the owners ${policy.allowedOwners.join(', ')}`
    : 'no owner';
  const repos = policy.allowedRepos.length
    ? `the repositories ${policy.allowedRepos.join(', ')}`
    : 'no single repository';
  return `${owners} (${REPO_POLICY_KEY}.allowedOwners) and ${repos} (${REPO_POLICY_KEY}.allowedRepos)`;
}

/**
 * Checks one repository URL as the publish actions take it
 * (`github.com?owner=mana&repo=gitops`, parsed by the scaffolder's own
 * `parseRepoUrl`, so both read the same owner and repository): a known
 * integration, an allowed host, names GitHub allows, and an owner or
 * repository on the allow lists. Returns `host/owner/repo`.
 */
export function assertAllowedRepo(
  policy: RepoPolicy,
  integrations: ScmIntegrationRegistry,
  field: string,
  repoUrl: string,
): string {
  let parsed: ReturnType<typeof parseRepoUrl>;
  try {
    parsed = parseRepoUrl(repoUrl, integrations);
  } catch (error) {
    throw new InputError(
      `${field} must be a repository such as github.com?owner=mana&repo=gitops, got ${JSON.stringify(
        repoUrl.slice(0, 200),
      )}`,
    );
  }
  const host = parsed.host;
  const owner = parsed.owner ?? '';
  const repo = parsed.repo;
  if (!OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..') {
    throw new InputError(
      `${field} must name an owner and a repository as GitHub allows them, got ${JSON.stringify(
        `${owner}/${repo}`.slice(0, 200),
      )}`,
    );
  }
  if (!includes(policy.allowedHosts, host)) {
    throw new NotAllowedError(
      `${field}: ${host} is not a host this portal publishes to (${REPO_POLICY_KEY}.allowedHosts: ${policy.allowedHosts.join(
        ', ',
      )})`,
    );
  }
  const slug = `${owner}/${repo}`;
  const allowed =
    includes(policy.allowedOwners, owner) ||
    includes(policy.allowedRepos, slug);
  if (!allowed) {
    throw new NotAllowedError(
      `${field}: ${slug} is not a repository this portal publishes to; allowed are ${describePolicy(
        policy,
      )}`,
    );
  }
  return `${host}/${slug}`;
}
