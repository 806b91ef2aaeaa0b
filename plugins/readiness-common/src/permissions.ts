import { createPermission } from '@backstage/plugin-permission-common';

/** Read readiness results, the overview and the trend. @public */
export const readinessReadPermission = createPermission({
  name: 'readiness.read',
  attributes: { action: 'read' },
});

/** Every permission the readiness backend registers. @public */
export const readinessPermissions = [readinessReadPermission];
