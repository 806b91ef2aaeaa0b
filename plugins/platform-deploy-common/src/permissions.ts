import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/** Read deployment state, history and metrics. @public */
export const platformDeployReadPermission = createPermission({
  name: 'platform-deploy.read',
  attributes: { action: 'read' },
});

/** Report deployment events (CI, webhooks). @public */
export const platformDeployIngestPermission = createPermission({
  name: 'platform-deploy.ingest',
  attributes: { action: 'create' },
});

/**
 * Change what runs for one catalog entity: open a GitOps pull request that
 * rolls it back, promotes it or pins its image (the scaffolder's
 * `platform:gitops:set-image` action authorizes it for the target entity).
 * The platform policy allows it to the entity's owners and the platform team.
 *
 * @public
 */
export const platformDeployChangePermission = createPermission({
  name: 'platform-deploy.change',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Choose the GitOps path of an image pin yourself: `platform:gitops:set-image`
 * takes the path from the target entity (its namespace and name); its `name`
 * input, which points the pin at another service's directory, needs this as
 * well. The platform policy gives it to the platform team only.
 *
 * @public
 */
export const platformDeployGitopsOverridePermission = createPermission({
  name: 'platform-deploy.gitops.override',
  attributes: { action: 'update' },
});

/**
 * Read the cost model: what each server, system and service costs a month.
 * Registered by the costs module (platform-deploy-backend-module-costs).
 *
 * @public
 */
export const platformDeployCostsReadPermission = createPermission({
  name: 'platform-deploy.costs.read',
  attributes: { action: 'read' },
});

/** The permissions the platform-deploy backend plugin registers. @public */
export const platformDeployPermissions = [
  platformDeployReadPermission,
  platformDeployIngestPermission,
  platformDeployChangePermission,
  platformDeployGitopsOverridePermission,
];
