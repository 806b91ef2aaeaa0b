import { createRouteRef } from '@backstage/core-plugin-api';

/** The health page, `/platform/health`. */
export const rootRouteRef = createRouteRef({ id: 'health' });
