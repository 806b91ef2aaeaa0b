/**
 * Who holds a permission, in the portal's policy:
 *
 * - `signed-in`: every signed-in user, the read-only guest included (reads);
 * - `members`: signed-in users who are not read-only (create, register, run);
 * - `owners`: the owners of the entity the request is about (a conditional
 *   decision the catalog resolves) and the platform team;
 * - `task-creator`: the user who started the scaffolder task (a conditional
 *   decision the scaffolder resolves) and the platform team;
 * - `platform-team`: members of a platform team only;
 * - `services`: no user at all; CI and cron jobs hold these through external
 *   access tokens, which the permission service decides from the token's
 *   access restrictions without asking a policy.
 *
 * @public
 */
export type PermissionHolder =
  | 'signed-in'
  | 'members'
  | 'owners'
  | 'task-creator'
  | 'platform-team'
  | 'services';

/** One named rule of the policy. @public */
export interface PermissionRule {
  /** Who holds the permission. */
  who: PermissionHolder;
  /** Why, for the README and for reviewers. */
  why: string;
}

/**
 * Every permission the portal's backend plugins register, with who holds it.
 * A permission that is not listed here is denied to everyone; the test
 * `packages/backend/src/permissions/policyCoverage.test.ts` enumerates what
 * the installed plugins register and fails on any permission without a rule.
 *
 * @public
 */
export const PERMISSION_RULES: Readonly<Record<string, PermissionRule>> = {
  // catalog
  'catalog.entity.read': {
    who: 'signed-in',
    why: 'the catalog is for everyone',
  },
  'catalog.location.read': {
    who: 'signed-in',
    why: 'where entities come from',
  },
  'catalog.ingestion.read': { who: 'signed-in', why: 'status of ingestion' },
  'catalog.entity.validate': {
    who: 'members',
    why: 'checking a catalog-info.yaml before registering it',
  },
  'catalog.location.analyze': {
    who: 'members',
    why: 'the first step of registering a repository',
  },
  'catalog.location.create': {
    who: 'members',
    why: "registering a repository (and the templates' catalog:register); what such a location may hold is limited by catalog.rules, and its entities are untrusted unless it is on the trusted list",
  },
  'catalog.entity.create': {
    who: 'members',
    why: 'the Register existing component button',
  },
  'catalog.entity.refresh': {
    who: 'owners',
    why: 'a team refreshes its own entities',
  },
  'catalog.entity.delete': {
    who: 'owners',
    why: 'a team unregisters its own entities',
  },
  'catalog.location.delete': {
    who: 'platform-team',
    why: 'a location is not owned by a team: deleting one removes whatever it holds',
  },
  'catalog.ingestion.manage': {
    who: 'platform-team',
    why: 'operating the catalog',
  },
  // scaffolder
  'scaffolder.template.parameter.read': {
    who: 'signed-in',
    why: 'seeing a template form',
  },
  'scaffolder.template.step.read': {
    who: 'signed-in',
    why: 'seeing what a template does',
  },
  'scaffolder.task.create': {
    who: 'members',
    why: 'creating services from templates',
  },
  'scaffolder.action.execute': {
    who: 'members',
    why: 'running a template; our actions check their own permissions (platform:gitops:set-image checks platform-deploy.change)',
  },
  'scaffolder.task.read': {
    who: 'task-creator',
    why: "a task's log shows its inputs: its creator and the platform team read it",
  },
  'scaffolder.task.cancel': {
    who: 'task-creator',
    why: "nobody cancels another user's task",
  },
  'scaffolder.template.dry-run': {
    who: 'platform-team',
    why: 'the template editor',
  },
  'scaffolder.template.management': {
    who: 'platform-team',
    why: 'writing templates',
  },
  // kubernetes
  'kubernetes.clusters.read': { who: 'signed-in', why: 'the Kubernetes tab' },
  'kubernetes.resources.read': { who: 'signed-in', why: 'the Kubernetes tab' },
  'kubernetes.proxy': {
    who: 'platform-team',
    why: "the proxy calls the production cluster with the portal's service account token",
  },
  // platform-deploy
  'platform-deploy.read': {
    who: 'signed-in',
    why: 'deployment status is for everyone',
  },
  'platform-deploy.costs.read': {
    who: 'signed-in',
    why: 'cost views are for everyone',
  },
  'platform-deploy.change': {
    who: 'owners',
    why: 'rollback, promotion and image pins of a service are for its owners (the action also requires an entity from a trusted location)',
  },
  'platform-deploy.gitops.override': {
    who: 'platform-team',
    why: "choosing the GitOps path of an image pin (set-image's name input) instead of the target entity's own",
  },
  'platform-deploy.ingest': {
    who: 'services',
    why: 'CI reports deploys with its ingest token',
  },
  // backup-status
  'backup-status.read': {
    who: 'signed-in',
    why: 'backup status is for everyone',
  },
  'backup-status.ingest': {
    who: 'services',
    why: 'backup jobs report runs with their ingest token',
  },
  // readiness
  'readiness.read': {
    who: 'signed-in',
    why: 'production readiness levels and their reasons are for everyone',
  },
  // tech-insights (the readiness scorecards' engine)
  'tech-insights.fact-retriever.read': {
    who: 'signed-in',
    why: 'the facts behind the readiness scorecards (deploys, backups, catalog) are what the Deploys and Backups tabs show anyway',
  },
  'tech-insights.check.read': {
    who: 'signed-in',
    why: 'the scorecard checks and their targets are configuration everyone may read',
  },
  'tech-insights.check.run': {
    who: 'platform-team',
    why: 'running the checks of every entity is heavy; the readiness plugin runs them on its schedule as a service, users read its stored results',
  },
  // health
  'health.read': {
    who: 'signed-in',
    why: 'firing alerts, incidents and reliability are for everyone',
  },
  'health.silence.create': {
    who: 'owners',
    why: 'silencing the alerts of a service in Alertmanager is for its owners (and only for an entity from a trusted location)',
  },
  // code-coverage (checked by code-coverage-backend-module-platform in front of the community plugin)
  'code-coverage.read': {
    who: 'signed-in',
    why: 'test coverage is for everyone',
  },
  'code-coverage.ingest': {
    who: 'services',
    why: 'CI reports coverage with its ingest token, for the entities its scope names',
  },
  // image-scans
  'image-scans.read': {
    who: 'signed-in',
    why: 'image vulnerabilities are for everyone',
  },
  'image-scans.ingest': {
    who: 'services',
    why: 'CI reports Trivy scans with its ingest token, for the entities its scope names',
  },
};
