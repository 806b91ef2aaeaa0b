import { createRouteRef } from '@backstage/core-plugin-api';

/** The deployments page, `/platform/deployments`. */
export const rootRouteRef = createRouteRef({ id: 'platform-deploy' });
