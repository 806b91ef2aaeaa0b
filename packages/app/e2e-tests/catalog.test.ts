import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { screenshotPath, signInAsGuest } from './helpers';

/** The Component names that catalog/ declares: what the page must list. */
function declaredComponentNames(): string[] {
  const catalogDir = path.resolve(__dirname, '../../../catalog');
  const files = [
    ...fs.readdirSync(catalogDir).map(f => path.join(catalogDir, f)),
    ...fs
      .readdirSync(path.join(catalogDir, 'systems'))
      .map(f => path.join(catalogDir, 'systems', f)),
  ].filter(f => f.endsWith('.yaml'));
  return files
    .flatMap(f => parseAllDocuments(fs.readFileSync(f, 'utf8')))
    .map(doc => doc.toJS())
    .filter(e => e?.kind === 'Component')
    .map(e => e.metadata.name)
    .sort();
}

test('a guest signs in and the catalog lists all 39 services', async ({
  page,
}) => {
  const names = declaredComponentNames();
  expect(names).toHaveLength(39);

  await signInAsGuest(page);
  await page.goto('/');

  // Kind Component is the default kind filter, all types, all owners.
  await expect(page.getByText(/^All components \(39\)$/i)).toBeVisible();
  // Rows show titles ("Chat Backend"); each links to its entity by name.
  for (const name of names) {
    await expect(
      page.locator(`a[href$="/catalog/default/component/${name}"]`).first(),
    ).toBeVisible();
  }
  await page.screenshot({ path: screenshotPath('catalog'), fullPage: true });
});

test('the backend answers the catalog query with the 39 names', async ({
  request,
}) => {
  // The same query an operator would run; guest identity through the auth backend.
  const refresh = await request.get(
    'http://localhost:7007/api/auth/guest/refresh',
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  expect(refresh.ok()).toBe(true);
  const { backstageIdentity } = await refresh.json();

  await expect
    .poll(
      async () => {
        const res = await request.get(
          'http://localhost:7007/api/catalog/entities/by-query?filter=kind=component&limit=100&fields=metadata.name',
          { headers: { authorization: `Bearer ${backstageIdentity.token}` } },
        );
        expect(res.ok()).toBe(true);
        const body = await res.json();
        return body.items.map((e: any) => e.metadata.name).sort();
      },
      { timeout: 60_000 },
    )
    .toEqual(declaredComponentNames());
});

test('/catalog is the catalog index, / opens it, and entity pages stay under /catalog', async ({
  page,
}) => {
  // Signing in starts at /, which sends the user to the catalog.
  await signInAsGuest(page);
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(
    page
      .getByTestId('sidebar-root')
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toHaveAttribute('href', '/catalog');

  // Typed: the index itself, its rows linking to entity pages under it.
  await page.goto('/catalog');
  await expect(page.getByText(/^All components \(39\)$/i)).toBeVisible();
  await expect(
    page.locator('a[href="/catalog/default/component/chat-backend"]').first(),
  ).toBeVisible();
});
