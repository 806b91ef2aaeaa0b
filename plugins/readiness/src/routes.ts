import { createRouteRef } from '@backstage/core-plugin-api';

/** The readiness page, `/platform/readiness`. */
export const rootRouteRef = createRouteRef({ id: 'readiness' });
