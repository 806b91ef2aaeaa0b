import { test, expect, Page } from '@playwright/test';
import { screenshotPath, signInAsGuest } from './helpers';

/** Picks an entity in an OwnerPicker or EntityPicker (an autocomplete). */
async function pick(page: Page, label: string, typed: string, option: string) {
  const field = page.getByRole('textbox', { name: label }).first();
  await field.click();
  await field.fill(typed);
  await page
    .getByRole('option')
    .filter({ hasText: new RegExp(`^${option}$`) })
    .first()
    .click();
}

test('a developer fills the new-service form and reaches the review step', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/create');
  await expect(page.getByText('NestJS backend service').first()).toBeVisible();
  await expect(page.getByText('Roll back a service').first()).toBeVisible();

  await page.goto('/create/templates/default/nestjs-service');
  await page.getByRole('textbox', { name: 'Name' }).fill('quote-api');
  await page.getByRole('textbox', { name: 'Title' }).fill('Quote API');
  await pick(page, 'Owner', 'quote', 'Quote Team');
  await pick(page, 'System', 'quote', 'Quote');
  await page.getByRole('button', { name: 'Next' }).click();

  // Infrastructure: a database by default, Redis on request.
  await expect(
    page.getByRole('checkbox', { name: /PostgreSQL database and role/ }),
  ).toBeChecked();
  await page.getByRole('checkbox', { name: /Redis ACL user/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();

  // Where it goes: the defaults of the estate.
  await expect(page.getByRole('textbox', { name: 'Domain' })).toHaveValue(
    'mana.how',
  );
  await page.getByRole('button', { name: 'Review' }).click();

  await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
  for (const value of ['quote-api', 'Quote API', 'mana.how']) {
    await expect(page.getByText(value, { exact: true }).first()).toBeVisible();
  }
  await page.screenshot({
    path: screenshotPath('new-service-review'),
    fullPage: true,
  });
});

test("the Deployments tab's Roll back button opens the prefilled rollback form", async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/quote-backend/deployments');
  const rollBack = page.getByRole('link', { name: 'Roll back' }).first();
  await expect(rollBack).toBeVisible();
  await rollBack.click();

  await expect(page).toHaveURL(
    /\/create\/templates\/default\/rollback-service/,
  );
  await expect(page.getByText('Roll back a service').first()).toBeVisible();
  const version = page.getByRole('textbox', { name: 'Version' });
  await expect(version).toHaveValue(/^main-/);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
  await expect(
    page.getByText('component:default/quote-backend').first(),
  ).toBeVisible();
  await page.screenshot({
    path: screenshotPath('rollback-review'),
    fullPage: true,
  });
});
