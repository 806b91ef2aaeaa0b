import { createPermission } from '@backstage/plugin-permission-common';

/** Read image scans of an entity. @public */
export const imageScansReadPermission = createPermission({
  name: 'image-scans.read',
  attributes: { action: 'read' },
});

/** Report a Trivy scan (CI, with a team's ingest credential). @public */
export const imageScansIngestPermission = createPermission({
  name: 'image-scans.ingest',
  attributes: { action: 'create' },
});

/** Every permission of the image-scans plugin. @public */
export const imageScansPermissions = [
  imageScansReadPermission,
  imageScansIngestPermission,
];
