import { APIRequestContext, expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { BACKEND, postIngest, screenshotPath, signInAsGuest } from './helpers';

/*
 * The readiness plugin against the embedded default: the real readiness,
 * platform-deploy and backup-status backends with their demo data. The test
 * reports its own deploys and a backup of nutriphi-backend (no other file
 * touches it) and compares what the pages show with what the backends answer
 * the guest at that moment.
 */

const SERVICE = 'component:default/nutriphi-backend';
const DATABASE = 'resource:default/nutriphi-backend-db';

type Check = {
  id: string;
  name: string;
  level: string;
  result: 'pass' | 'fail' | 'not-applicable' | 'no-data';
  why?: string;
  fix?: { title: string; url: string };
};

/** The guest's token, as the app holds it after "Enter". */
async function guestHeaders(request: APIRequestContext) {
  const refresh = await request.get(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(refresh.status()).toBe(200);
  const { token } = (await refresh.json()).backstageIdentity;
  return { authorization: `Bearer ${token}` };
}

async function readJson(
  request: APIRequestContext,
  endpoint: string,
  headers: Record<string, string>,
) {
  const response = await request.get(`${BACKEND}${endpoint}`, { headers });
  expect(response.status(), endpoint).toBe(200);
  return response.json();
}

/**
 * The overview once the first evaluation ran (readiness.schedule's
 * initialDelay after the backend started).
 */
async function evaluatedOverview(
  request: APIRequestContext,
  headers: Record<string, string>,
) {
  let overview: any;
  await expect
    .poll(
      async () => {
        overview = await readJson(
          request,
          '/api/readiness/v1/overview',
          headers,
        );
        return overview.items.length;
      },
      { timeout: 240_000, intervals: [5_000] },
    )
    .toBeGreaterThan(0);
  return overview;
}

/** The first heading of the runbook a TechDocs URL of the portal shows. */
function runbookTitle(url: string): string | undefined {
  const match = url.match(
    /^\/docs\/default\/system\/platform-portal\/(.+?)\/(#.*)?$/,
  );
  if (!match) return undefined;
  const file = path.resolve(__dirname, '../../../docs', `${match[1]}.md`);
  return fs.readFileSync(file, 'utf8').match(/^# (.+)$/m)?.[1];
}

function titleOf(
  level: string | null,
  levels: { id: string; title: string }[],
) {
  if (level === null) return 'No level';
  return levels.find(l => l.id === level)?.title ?? level;
}

test('a component shows its readiness and its status (production, last deploy, backups of what it depends on)', async ({
  page,
  request,
}) => {
  // The first evaluation runs 90 s after start; TechDocs builds a runbook
  // on its first view.
  test.setTimeout(420_000);
  // Production runs `live`; the deploy after it failed. A backup of the
  // database the service depends on finished a moment ago.
  const stamp = Date.now().toString(16).slice(-7);
  const [live, failed] = [`main-${stamp}a`, `main-${stamp}b`];
  for (const [i, [version, status]] of [
    [live, 'succeeded'],
    [failed, 'failed'],
  ].entries()) {
    await postIngest(request, '/api/platform-deploy/v1/events', {
      entityRef: SERVICE,
      environment: 'production',
      version,
      status,
      actor: 'e2e-test',
      idempotencyKey: `e2e-readiness-${version}`,
      finishedAt: new Date(Date.now() - (1 - i) * 60_000).toISOString(),
    });
  }
  const finished = new Date();
  await postIngest(request, '/api/backup-status/v1/runs', {
    entityRef: DATABASE,
    type: 'backup',
    status: 'succeeded',
    startedAt: new Date(finished.getTime() - 60_000).toISOString(),
    finishedAt: finished.toISOString(),
    idempotencyKey: `e2e-readiness-backup-${finished.getTime()}`,
    sizeBytes: 52_000_000,
    tool: 'pg_dump',
  });

  await signInAsGuest(page);
  await page.goto('/catalog/default/component/nutriphi-backend');

  const status = page
    .locator('[class*="MuiCard-root"]')
    .filter({ has: page.getByRole('table', { name: 'Status' }) });
  await expect(status.getByTestId('status-production-version')).toHaveText(
    live,
  );
  await expect(status.getByTestId('status-last-deploy')).toContainText(failed);
  await expect(status.getByTestId('status-last-deploy-result')).toHaveText(
    'Failed',
  );
  await expect(status.getByTestId('status-last-deploy')).toContainText(
    'by e2e-test',
  );
  await expect(status.getByTestId('status-health')).toHaveText(
    /^(Healthy|Down|Health unknown)$/,
  );
  const backup = status.locator(
    `[data-testid="status-backup"][data-entity-ref="${DATABASE}"]`,
  );
  await expect(backup).toContainText('last good backup just now');
  await expect(backup).toContainText('RPO 24 h');
  await expect(backup.getByTestId('status-backup-health')).toHaveText(
    /^(OK|Warning|Critical|Unknown)$/,
  );

  // The Production readiness card shows what the backend answers: the level,
  // and each failing (or unmeasured) check with its why and its fix link.
  const headers = await guestHeaders(request);
  const { levels } = await evaluatedOverview(request, headers);
  const readiness = page
    .locator('[class*="MuiCard-root"]')
    .filter({ hasText: 'Production readiness' })
    .filter({ has: page.getByTestId('readiness-level') });
  let open: Check[] = [];
  await expect(async () => {
    const answer = await readJson(
      request,
      '/api/readiness/v1/entities/component/default/nutriphi-backend',
      headers,
    );
    open = (answer.checks as Check[]).filter(
      c => c.result === 'fail' || c.result === 'no-data',
    );
    await page.reload();
    await expect(readiness.getByTestId('readiness-level')).toHaveText(
      titleOf(answer.level, levels),
      { timeout: 10_000 },
    );
    await expect(readiness.getByTestId('readiness-open-check')).toHaveCount(
      open.length,
    );
  }).toPass({ timeout: 120_000 });
  for (const check of open) {
    const item = readiness.locator(
      `[data-testid="readiness-open-check"][data-check="${check.id}"]`,
    );
    await expect(item).toContainText(check.name);
    if (check.why) await expect(item).toContainText(check.why);
    if (check.fix) {
      await expect(
        item.getByRole('link', { name: check.fix.title }),
      ).toHaveAttribute('href', check.fix.url);
    }
  }
  await page.screenshot({
    path: screenshotPath('entity-readiness-status'),
    fullPage: true,
  });

  // A fix link opens its runbook in TechDocs.
  const fixed = open.find(c => c.fix);
  expect(fixed, 'a failing check with a fix link').toBeDefined();
  const { title, url } = fixed!.fix!;
  await readiness
    .locator(`[data-testid="readiness-open-check"][data-check="${fixed!.id}"]`)
    .getByRole('link', { name: title })
    .click();
  await expect(page).toHaveURL(
    new RegExp(`${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  );
  const heading = runbookTitle(url);
  expect(heading, `${url} is a runbook of docs/`).toBeDefined();
  await expect(
    page.getByRole('heading', { name: heading, level: 1 }),
  ).toBeVisible({ timeout: 120_000 });
});

test('/platform/readiness shows the estate by level, system and team, the trend, the top failing checks and the CSV', async ({
  page,
  request,
}) => {
  test.setTimeout(360_000);
  await signInAsGuest(page);
  await page
    .getByTestId('sidebar-root')
    .getByRole('link', { name: 'Readiness', exact: true })
    .click();
  await expect(page).toHaveURL(/\/platform\/readiness$/);

  const headers = await guestHeaders(request);
  const overview = await evaluatedOverview(request, headers);
  const { levels, items, distribution, topFailing } = overview;
  // the page as of that evaluation
  await page.reload();

  // Every level of the estate, and "No level", with the backend's counts.
  const tiles = page.getByTestId('readiness-distribution');
  for (const key of ['none', ...levels.map((l: { id: string }) => l.id)]) {
    await expect(tiles.locator(`[data-level="${key}"]`)).toContainText(
      `${titleOf(key === 'none' ? null : key, levels)}${
        distribution[key] ?? 0
      }`,
    );
  }

  // The heatmaps: one row per system and per team, counts that add up.
  const bySystem = page.getByTestId('readiness-matrix-system');
  const systems = new Set(
    items.map((i: { system?: string }) => i.system ?? ''),
  );
  await expect(bySystem.locator('tbody tr')).toHaveCount(systems.size);
  // the service's system, as the overview names it (spec.system)
  const service = items.find(
    (i: { entityRef: string }) => i.entityRef === SERVICE,
  );
  const systemRow = bySystem.locator(`tr[data-row="${service.system}"]`);
  const ofSystem = items.filter(
    (i: { system?: string }) => i.system === service.system,
  );
  await expect(systemRow.locator('td').last()).toHaveText(
    String(ofSystem.length),
  );
  await expect(systemRow.getByRole('link')).toHaveAttribute(
    'href',
    '/catalog/default/system/nutriphi',
  );
  const byTeam = page.getByTestId('readiness-matrix-owner');
  const owners = new Set(items.map((i: { owner?: string }) => i.owner ?? ''));
  await expect(byTeam.locator('tbody tr')).toHaveCount(owners.size);

  // The trend of the last 90 days: a chart and its words, or "no history".
  await expect(
    page
      .getByTestId('readiness-trend-summary')
      .or(page.getByTestId('readiness-trend-empty')),
  ).toBeVisible();

  // The checks that fail most, as the backend counted them.
  const top = page.getByTestId('readiness-top-failing');
  for (const check of topFailing.slice(0, 3)) {
    await expect(top.locator(`[data-check="${check.checkId}"]`)).toContainText(
      `${check.name}${check.count} of ${items.length}`,
    );
  }

  // Every entity in the table; the service's row shows its level.
  await expect(page.getByText(`Entities (${items.length})`)).toBeVisible();
  await page.getByPlaceholder('Filter').fill('nutriphi-backend');
  const row = page.getByRole('row').filter({
    has: page.locator('a[href$="/catalog/default/component/nutriphi-backend"]'),
  });
  await expect(row).toContainText(titleOf(service.level, levels));
  await page.screenshot({
    path: screenshotPath('readiness-page'),
    fullPage: true,
  });

  // A cell of the heatmap filters the table to its entities.
  await page.getByPlaceholder('Filter').fill('');
  const cell = systemRow.locator('button').first();
  const label = (await cell.getAttribute('aria-label'))!;
  const count = Number(label.match(/: (\d+) of \d+$/)![1]);
  await cell.click();
  await expect(page.getByTestId('readiness-filter')).toContainText(
    'System nutriphi',
  );
  await expect(page.getByText(`Entities (${count})`)).toBeVisible();

  // The CSV: the file the backend serves, one line per entity.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('readiness.csv');
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe('entityRef,title,system,owner,level,failing');
  expect(lines).toHaveLength(items.length + 1);
  expect(lines.filter(l => l.startsWith(`${SERVICE},`))).toHaveLength(1);
  const served = await request.get(`${BACKEND}/api/readiness/v1/overview.csv`, {
    headers,
  });
  expect(served.headers()['content-type']).toMatch(/^text\/csv/);
  expect(csv).toBe(await served.text());
});

test('in the embedded default, the estate has entities at every level', async ({
  request,
}) => {
  test.setTimeout(300_000);
  const { levels, distribution } = await evaluatedOverview(
    request,
    await guestHeaders(request),
  );
  expect(
    Object.fromEntries(
      levels.map((l: { id: string }) => [l.id, (distribution[l.id] ?? 0) > 0]),
    ),
  ).toEqual(
    Object.fromEntries(levels.map((l: { id: string }) => [l.id, true])),
  );
});
