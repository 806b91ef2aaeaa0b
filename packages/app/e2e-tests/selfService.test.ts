import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { deployTwice, screenshotPath, signInAsGuest } from './helpers';
import {
  gitopsFilesOf,
  OWNER_BACKEND,
  OwnerPortal,
  startOwnerPortal,
} from './ownerPortal';

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

/**
 * Waits on the task page for the task that Create started and returns how
 * it ended (its status and the messages of failed steps), read from the
 * scaffolder's task API as the signed-in user.
 */
async function taskOutcome(page: Page, request: APIRequestContext) {
  await expect(page).toHaveURL(/\/create\/tasks\/[^/]+$/);
  const id = page.url().split('/').pop();
  const refresh = await request.get(`${OWNER_BACKEND}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const headers = {
    authorization: `Bearer ${(await refresh.json()).backstageIdentity.token}`,
  };
  const api = (path: string) =>
    request.get(`${OWNER_BACKEND}/api/scaffolder/v2/tasks/${id}${path}`, {
      headers,
    });
  await expect
    .poll(async () => (await (await api('')).json()).status, {
      timeout: 120_000,
    })
    .toMatch(/^(completed|failed|cancelled)$/);
  const { status } = await (await api('')).json();
  const events: any[] = await (await api('/events')).json();
  const errors = events
    .filter(e => e.body?.error || e.body?.status === 'failed')
    .map(e => e.body.message ?? JSON.stringify(e.body.error));
  return { status, errors };
}

/** The InfoCard of one environment on the Deployments tab. */
function environmentCard(page: Page, environment: string) {
  return page.locator('[class*="MuiCard-root"]').filter({
    has: page.locator('[class*="MuiCardHeader-title"]', {
      hasText: new RegExp(`^${environment}$`),
    }),
  });
}

test("the guest sees the Deployments tab's Roll back disabled, with who may", async ({
  page,
  request,
}) => {
  // This test's own history (of a service no other test reports on): two
  // deploys, the first is the rollback target.
  await deployTwice(request, 'component:default/quote-web');

  await signInAsGuest(page);
  await page.goto('/catalog/default/component/quote-web/deployments');
  const production = environmentCard(page, 'production');
  const rollBack = production.getByRole('button', { name: 'Roll back' });
  await expect(rollBack).toBeDisabled();
  await expect(production.getByRole('link', { name: 'Roll back' })).toHaveCount(
    0,
  );
  await expect(production.getByRole('note')).toHaveText(
    'Only the owners of quote-web (quote-team) and the platform team may roll back or promote it; you are signed in as someone else.',
  );
  await page.screenshot({
    path: screenshotPath('rollback-refused-guest'),
    fullPage: true,
  });
});

test.describe('an owner, with GitHub faked', () => {
  let portal: OwnerPortal;

  test.beforeAll(async ({}, testInfo) => {
    testInfo.setTimeout(360_000);
    portal = await startOwnerPortal(
      {
        'Memo-2023/mana-monorepo': {
          'README.md': '# mana monorepo\n',
          'apps/chat-backend/package.json': '{ "name": "chat-backend" }\n',
        },
        'Memo-2023/mana-gitops': {
          'README.md': '# GitOps\n',
          ...gitopsFilesOf('chat-backend'),
        },
      },
      [
        'template:default/nestjs-service',
        'template:default/rollback-service',
        'group:default/quote-team',
        'system:default/quote',
        'component:default/chat-backend',
        'component:default/quote-backend',
        'user:default/chat-developer',
      ],
    );
  });

  test.afterAll(async () => {
    await portal?.stop();
  });

  test('a developer creates a new service and sees both pull requests', async ({
    page,
    request,
  }) => {
    await portal.use(page);
    await signInAsGuest(page);
    await page.goto('/create');
    await expect(
      page.getByText('NestJS backend service').first(),
    ).toBeVisible();
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

    for (const value of ['quote-api', 'Quote API', 'mana.how']) {
      await expect(
        page.getByText(value, { exact: true }).first(),
      ).toBeVisible();
    }
    await page.screenshot({
      path: screenshotPath('new-service-review'),
      fullPage: true,
    });

    await page.getByRole('button', { name: 'Create' }).click();
    expect(await taskOutcome(page, request)).toEqual({
      status: 'completed',
      errors: [],
    });

    // Both pull requests, opened on the (fake) code host and linked.
    const pulls = portal.github.pulls.filter(
      p => p.head === 'new-service-quote-api',
    );
    expect(pulls.map(p => [p.repo, p.base, p.title])).toEqual([
      ['mana-monorepo', 'main', 'New service: quote-api'],
      ['mana-gitops', 'main', 'Infrastructure and deployment: quote-api'],
    ]);
    for (const [name, pull] of [
      ['Code pull request', pulls[0]],
      ['GitOps pull request', pulls[1]],
    ] as const) {
      await expect(page.getByRole('link', { name })).toHaveAttribute(
        'href',
        `https://github.com/Memo-2023/${pull.repo}/pull/${pull.number}`,
      );
    }
    // What the code pull request's branch holds: the service and its workflow.
    const branch = portal.github.readBranch(
      'Memo-2023',
      'mana-monorepo',
      'new-service-quote-api',
    );
    expect(Object.keys(branch)).toEqual(
      expect.arrayContaining([
        'apps/quote-api/catalog-info.yaml',
        '.github/workflows/quote-api.yml',
      ]),
    );
    await page.screenshot({
      path: screenshotPath('new-service-created'),
      fullPage: true,
    });
  });

  test('the owner rolls back from the Deployments tab and sees the pull request', async ({
    page,
    request,
  }) => {
    const { previous } = await deployTwice(
      request,
      'component:default/chat-backend',
      OWNER_BACKEND,
    );

    await portal.use(page);
    await signInAsGuest(page);
    await page.goto('/catalog/default/component/chat-backend/deployments');
    const production = environmentCard(page, 'production');
    await production.getByRole('link', { name: 'Roll back' }).click();

    await expect(page).toHaveURL(
      /\/create\/templates\/default\/rollback-service/,
    );
    await expect(page.getByRole('textbox', { name: 'Version' })).toHaveValue(
      previous,
    );
    await page.getByRole('textbox', { name: 'Reason' }).fill('e2e: bad build');
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(
      page.getByText('component:default/chat-backend').first(),
    ).toBeVisible();
    await page.screenshot({
      path: screenshotPath('rollback-review'),
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await taskOutcome(page, request)).toEqual({
      status: 'completed',
      errors: [],
    });

    const branch = `rollback-service/chat-backend-production-${previous}`;
    const pull = portal.github.pulls.find(p => p.head === branch);
    expect(pull).toMatchObject({
      repo: 'mana-gitops',
      base: 'main',
      title: `Roll back chat-backend in production to ${previous}`,
    });
    expect(pull!.body).toContain('Reason: e2e: bad build');
    await expect(
      page.getByRole('link', { name: 'Pull request' }),
    ).toHaveAttribute(
      'href',
      `https://github.com/Memo-2023/mana-gitops/pull/${pull!.number}`,
    );
    // The pull request pins the version in the production overlay.
    const files = portal.github.readBranch('Memo-2023', 'mana-gitops', branch);
    expect(
      files['apps/chat-backend/overlays/production/kustomization.yaml'],
    ).toContain(`newTag: ${previous}`);
    await page.screenshot({
      path: screenshotPath('rollback-created'),
      fullPage: true,
    });
  });

  test('the owner of chat-backend may not roll back quote-backend, and is told why', async ({
    page,
    request,
  }) => {
    await deployTwice(
      request,
      'component:default/quote-backend',
      OWNER_BACKEND,
    );
    await portal.use(page);
    await signInAsGuest(page);
    await page.goto('/catalog/default/component/quote-backend/deployments');
    const production = environmentCard(page, 'production');
    await expect(
      production.getByRole('button', { name: 'Roll back' }),
    ).toBeDisabled();
    await expect(production.getByRole('note')).toContainText(
      'Only the owners of quote-backend (quote-team) and the platform team',
    );
  });
});
