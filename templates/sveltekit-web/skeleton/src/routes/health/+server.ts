import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * Liveness and readiness probe for the portal's post-deploy check and the
 * container HEALTHCHECK. Keep it cheap and free of auth.
 */
export const GET: RequestHandler = () => json({ status: 'ok' });
