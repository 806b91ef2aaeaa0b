import { createPermission } from '@backstage/plugin-permission-common';

/** Read backup status (overview and entity details). @public */
export const backupStatusReadPermission = createPermission({
  name: 'backup-status.read',
  attributes: { action: 'read' },
});

/** Report backup runs (`POST /v1/runs`). @public */
export const backupStatusIngestPermission = createPermission({
  name: 'backup-status.ingest',
  attributes: { action: 'create' },
});

/** All permissions of the plugin, for registration with the permission service. @public */
export const backupStatusPermissions = [
  backupStatusReadPermission,
  backupStatusIngestPermission,
];
