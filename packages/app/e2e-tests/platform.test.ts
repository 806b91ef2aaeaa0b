import { test, expect } from '@playwright/test';
import { postIngest, screenshotPath, signInAsGuest } from './helpers';

test('a deploy posted by CI shows in the matrix and on the Deployments tab', async ({
  page,
  request,
}) => {
  const version = `main-${Date.now().toString(16).slice(-7)}`;
  await postIngest(request, '/api/platform-deploy/v1/events', {
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
  await postIngest(request, '/api/backup-status/v1/runs', {
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
  // The overview's row of the resource: its last good backup is the run just
  // posted (the snapshot rebuilds after an ingest: reload until it shows).
  await page.goto('/platform/backups');
  await expect(async () => {
    await page.reload();
    const row = page.getByRole('row').filter({
      has: page.locator(
        'a[href$="/catalog/default/resource/quote-backend-db"]',
      ),
    });
    await expect(row).toContainText('0 h ago', { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({
    path: screenshotPath('backups-overview'),
    fullPage: true,
  });

  // The resource's tab lists the run itself: its message, result, tool and size.
  await page.goto('/catalog/default/resource/quote-backend-db/backups');
  const run = page.getByRole('row').filter({ hasText: key });
  await expect(run).toHaveCount(1);
  for (const cell of ['backup', 'succeeded', 'pg_dump', key]) {
    await expect(
      run.getByRole('cell', { name: cell, exact: true }),
    ).toHaveCount(1);
  }
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
