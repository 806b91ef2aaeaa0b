import { test, expect, APIRequestContext } from '@playwright/test';
import { screenshotPath, signInAsGuest } from './helpers';

const backend = 'http://localhost:7007';

/** CI's view: the static ingest token of backend.auth.externalAccess. */
function ingestHeaders() {
  const token = process.env.PLATFORM_INGEST_TOKEN;
  if (!token)
    throw new Error('PLATFORM_INGEST_TOKEN must be set for the browser tests');
  return { authorization: `Bearer ${token}` };
}

async function post(request: APIRequestContext, path: string, data: object) {
  // The backend may still be syncing the catalog right after start.
  await expect
    .poll(
      async () =>
        (
          await request.post(`${backend}${path}`, {
            headers: ingestHeaders(),
            data,
          })
        ).status(),
      { timeout: 60_000 },
    )
    .toBe(200);
}

test('a deploy posted by CI shows in the matrix and on the Deployments tab', async ({
  page,
  request,
}) => {
  const version = `main-${Date.now().toString(16).slice(-7)}`;
  await post(request, '/api/platform-deploy/v1/events', {
    entityRef: 'component:default/quote-backend',
    environment: 'production',
    version,
    status: 'succeeded',
    color: 'blue',
    actor: 'e2e-test',
    idempotencyKey: `e2e-${version}`,
    finishedAt: new Date().toISOString(),
  });

  await signInAsGuest(page);
  await page.goto('/platform/deployments');
  await page.getByLabel('Search services').fill('quote-backend');
  const row = page.locator(
    'tr[data-entity-ref="component:default/quote-backend"]',
  );
  await expect(row).toContainText(version);
  await page.screenshot({
    path: screenshotPath('deployments-matrix'),
    fullPage: true,
  });

  await page.goto('/catalog/default/component/quote-backend/deployments');
  await expect(page.getByText(version).first()).toBeVisible();
  await expect(page.getByText(/live slot: blue/).first()).toBeVisible();
  await page.screenshot({
    path: screenshotPath('entity-deployments'),
    fullPage: true,
  });
});

test('a backup run posted by a job shows on /platform/backups and the Backups tab', async ({
  page,
  request,
}) => {
  const finished = new Date();
  const started = new Date(finished.getTime() - 90_000);
  const key = `e2e-backup-${finished.getTime()}`;
  await post(request, '/api/backup-status/v1/runs', {
    entityRef: 'resource:default/quote-backend-db',
    type: 'backup',
    status: 'succeeded',
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    idempotencyKey: key,
    sizeBytes: 123456789,
    tool: 'pg_dump',
    message: key,
  });

  await signInAsGuest(page);
  await page.goto('/platform/backups');
  await expect(page.getByText(/quote-backend-db/i).first()).toBeVisible();
  await page.screenshot({
    path: screenshotPath('backups-overview'),
    fullPage: true,
  });

  await page.goto('/catalog/default/resource/quote-backend-db/backups');
  await expect(page.getByText('pg_dump').first()).toBeVisible();
  await page.screenshot({
    path: screenshotPath('entity-backups'),
    fullPage: true,
  });
});

test('the Kubernetes tab says plainly that no cluster is configured', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/quote-backend/kubernetes');
  await expect(
    page.getByText('No Kubernetes cluster is configured in this portal'),
  ).toBeVisible();
  await page.screenshot({
    path: screenshotPath('entity-kubernetes'),
    fullPage: true,
  });
});
