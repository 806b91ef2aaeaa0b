import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/** Read firing alerts, incidents and reliability figures. @public */
export const healthReadPermission = createPermission({
  name: 'health.read',
  attributes: { action: 'read' },
});

/**
 * Silence the alerts of one catalog entity in Alertmanager. The platform
 * policy allows it to the entity's owners and the platform team.
 *
 * @public
 */
export const healthSilenceCreatePermission = createPermission({
  name: 'health.silence.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** The permissions the health backend plugin registers. @public */
export const healthPermissions = [
  healthReadPermission,
  healthSilenceCreatePermission,
];
