import { createRouteRef } from '@backstage/core-plugin-api';

/** The backups page, `/platform/backups`. */
export const rootRouteRef = createRouteRef({ id: 'backup-status' });
