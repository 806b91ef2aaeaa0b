import { createPermission } from '@backstage/plugin-permission-common';

/** Read deployment state, history and metrics. */
export const platformDeployReadPermission = createPermission({
  name: 'platform-deploy.read',
  attributes: { action: 'read' },
});

/** Report deployment events (CI, webhooks). */
export const platformDeployIngestPermission = createPermission({
  name: 'platform-deploy.ingest',
  attributes: { action: 'create' },
});

export const platformDeployPermissions = [
  platformDeployReadPermission,
  platformDeployIngestPermission,
];
