import { Page, expect } from '@playwright/test';
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
