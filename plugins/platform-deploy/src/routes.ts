import { createRouteRef } from '@backstage/core-plugin-api';

/** The deployments page, `/platform/deployments`. */
export const rootRouteRef = createRouteRef({ id: 'platform-deploy' });

/** The costs page, `/platform/costs`. */
export const costsRouteRef = createRouteRef({ id: 'platform-deploy-costs' });
