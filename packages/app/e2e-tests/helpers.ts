import { APIRequestContext, Page, expect } from '@playwright/test';
import path from 'node:path';

/** Screenshots of the browser tests land here (see README). */
export const screenshotsDir = path.resolve(
  __dirname,
  '../../../e2e-test-results/screenshots',
);

export function screenshotPath(name: string) {
  return path.join(screenshotsDir, `${name}.png`);
}

/** Signs in through the guest provider of the default sign-in page. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(enter).toBeHidden();
  await expect(
    page.getByTestId('sidebar-root').getByRole('link', {
      name: 'Catalog',
      exact: true,
    }),
  ).toBeVisible();
}

/** The portal's backend, as the app is configured. */
export const BACKEND = 'http://localhost:7007';

/**
 * Whether the backend serves the production build of packages/app
 * (`E2E_APP=dist`, what the test command runs: a page loads in seconds),
 * instead of the development server on :3000 (`yarn start`, the default
 * here, whose bundle a page takes a minute or more to parse on 2 cores).
 */
export const SERVED_BY_BACKEND = process.env.E2E_APP === 'dist';

/** Where the browser opens the portal. */
export const PORTAL_URL =
  process.env.PORTAL_URL ??
  (SERVED_BY_BACKEND ? BACKEND : 'http://localhost:3000');

/** CI's view: the static ingest token of backend.auth.externalAccess. */
export function ingestHeaders() {
  const token = process.env.PLATFORM_INGEST_TOKEN;
  if (!token)
    throw new Error('PLATFORM_INGEST_TOKEN must be set for the browser tests');
  return { authorization: `Bearer ${token}` };
}

/**
 * Posts a report to an ingest endpoint as CI does; polls until it is taken
 * (the backend may still be reading the catalog right after start).
 */
export async function postIngest(
  request: APIRequestContext,
  endpoint: string,
  data: object,
  backend = BACKEND,
) {
  await expect
    .poll(
      async () =>
        (
          await request.post(`${backend}${endpoint}`, {
            headers: ingestHeaders(),
            data,
          })
        ).status(),
      { timeout: 60_000 },
    )
    .toBe(200);
}

/**
 * Reports two successful production deploys of `entityRef`, the second one
 * now: the first becomes its rollback target. Returns both versions.
 */
export async function deployTwice(
  request: APIRequestContext,
  entityRef: string,
  backend = BACKEND,
) {
  const stamp = Date.now().toString(16).slice(-6);
  const [previous, current] = [`main-${stamp}0`, `main-${stamp}1`];
  for (const [i, version] of [previous, current].entries()) {
    await postIngest(
      request,
      '/api/platform-deploy/v1/events',
      {
        entityRef,
        environment: 'production',
        version,
        status: 'succeeded',
        color: i === 0 ? 'blue' : 'green',
        actor: 'e2e-test',
        idempotencyKey: `e2e-${entityRef}-${version}`,
        finishedAt: new Date(Date.now() - (1 - i) * 60_000).toISOString(),
      },
      backend,
    );
  }
  return { previous, current };
}
