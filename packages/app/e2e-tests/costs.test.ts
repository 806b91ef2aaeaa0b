import { test, expect, Page } from '@playwright/test';
import { screenshotPath, signInAsGuest } from './helpers';

/**
 * TechDocs keeps a page at opacity 0 until each of its stylesheets has
 * loaded (an unreachable one would hide it for good; see mkdocs.yml's
 * `font: false`), and shows a progress bar while it builds the site.
 */
async function waitForTechDocs(page: Page) {
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const host = document.querySelector(
            '[data-testid="techdocs-native-shadowroot"]',
          );
          const html = host?.shadowRoot?.firstElementChild as
            | HTMLElement
            | undefined;
          return html?.style.opacity;
        }),
      { timeout: 90_000 },
    )
    .toBe('1');
  await expect(page.getByRole('progressbar')).toHaveCount(0, {
    timeout: 90_000,
  });
}

/*
 * The cost views and the runbooks in TechDocs, against the embedded default:
 * the estate's catalog and platformDeploy.costs of app-config.yaml (the
 * single-server phase, $56 a month; the multi-server what-if, $146). TechDocs
 * builds the portal's docs with Debian's mkdocs on the first visit.
 */

test('the runbooks are in search without anyone opening them first', async ({
  page,
}) => {
  // The TechDocs prebuild publishes the docs after start and the collator
  // indexes them 45 s after start, then every minute (playwright.config.ts
  // sets that schedule; app-config.yaml's first indexing is after 90 s):
  // run first after the portal started, this test waits for that (alone, or
  // beside other files) up to its polling deadline below.
  test.setTimeout(300_000);
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/search?query=disk%20space%20low');
    await expect(
      page.getByRole('link', { name: /Incident response/ }).first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 240_000, intervals: [10_000] });
  await page.screenshot({
    path: screenshotPath('search-techdocs'),
    fullPage: true,
  });
});

test('a component shows its monthly cost and opens the cost model runbook in TechDocs', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/chat-backend');

  // 0.5 CPU of 9.05 allocated on the overcommitted CCX32's $25 CPU half,
  // 512 MB of its 32 GB on the $25 memory half.
  const card = page
    .locator('[class*="MuiCard-root"]')
    .filter({ hasText: 'Monthly cost' });
  await expect(card.getByTestId('entity-monthly-cost')).toHaveText(
    /\$1\.77\s*a month/,
  );
  await expect(card).toContainText("of the estate's $56.00");
  await page.screenshot({
    path: screenshotPath('entity-cost-card'),
    fullPage: true,
  });

  await card.getByRole('link', { name: 'How it is computed' }).click();
  await expect(page).toHaveURL(
    /\/docs\/default\/system\/platform-portal\/runbooks\/cost-model\/$/,
  );
  // TechDocs renders the page into a shadow root; Playwright pierces it.
  await expect(
    page.getByRole('heading', { name: 'The cost model', level: 1 }),
  ).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText('$56').first()).toBeVisible();
  await waitForTechDocs(page);
  await page.screenshot({
    path: screenshotPath('techdocs-cost-model'),
    fullPage: true,
  });
});

test('the portal system links its runbooks in TechDocs', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/system/platform-portal');
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'TechDocs' })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/system\/platform-portal\/docs/,
  );
  await expect(
    page.getByRole('heading', { name: 'Platform Portal', level: 1 }),
  ).toBeVisible({ timeout: 90_000 });

  await page.getByRole('link', { name: 'Runbooks' }).first().click();
  await expect(
    page.getByRole('heading', { name: 'Runbooks', level: 1 }),
  ).toBeVisible();
  // the runbooks table's link: the site navigation has one too, hidden
  // while its section is collapsed (and it may come first)
  await page
    .getByRole('link', { name: 'Roll back a service' })
    .filter({ visible: true })
    .first()
    .click();
  await expect(
    page.getByRole('heading', {
      name: /Roll back a service \(target: under 5 minutes\)/,
      level: 1,
    }),
  ).toBeVisible();
  await waitForTechDocs(page);
  await page.screenshot({
    path: screenshotPath('techdocs-rollback-runbook'),
    fullPage: true,
  });
});

test("/platform/costs shows the estate's totals, targets and the multi-server what-if", async ({
  page,
}) => {
  await signInAsGuest(page);
  await page
    .getByTestId('sidebar-root')
    .getByRole('link', { name: 'Costs', exact: true })
    .click();
  await expect(page).toHaveURL(/\/platform\/costs$/);

  await expect(page.getByTestId('cost-total')).toHaveText('$56.00');
  await expect(page.getByTestId('cost-target-monthly-total')).toHaveText(
    '$56.00',
  );
  await expect(page.getByText('Hetzner CCX32 (8 vCPU, 32 GB)')).toBeVisible();
  await expect(page.getByText('Domains (6 × $12 a year)')).toBeVisible();
  await expect(page.getByTestId('cost-what-if-multi-server')).toContainText(
    '$146.00 a month (+$90.00 against now)',
  );
  const singleServer = page.locator('tr[data-server="single-server"]').first();
  await expect(singleServer).toContainText('9.05 vCPU of 8');
  await expect(singleServer).toContainText('11.25 GB of 32 GB');
  await expect(singleServer).toContainText('CPU overcommitted');
  await expect(page.getByText('Per service (39)')).toBeVisible();
  await page.screenshot({
    path: screenshotPath('costs-page'),
    fullPage: true,
  });
});
