import { APIRequestContext, expect, test } from '@playwright/test';
import { BACKEND, screenshotPath, signInAsGuest } from './helpers';

/*
 * The health plugin against the embedded default: the real health backend
 * in its demo (no Alertmanager or Prometheus configured), which feeds about
 * 30 days of incidents for every Component once the catalog has them. The
 * pages must show what the backend answers the guest at that moment.
 */

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

const firingOf = (service: any) =>
  Object.values(service.firing as Record<string, number>).reduce(
    (sum, n) => sum + n,
    0,
  );

/** The overview once the demo was fed (a minute or so after start). */
async function fedOverview(
  request: APIRequestContext,
  headers: Record<string, string>,
) {
  let overview: any;
  await expect
    .poll(
      async () => {
        overview = await readJson(request, '/api/health/v1/overview', headers);
        return overview.services.filter(firingOf).length;
      },
      { timeout: 240_000, intervals: [5_000] },
    )
    .toBeGreaterThan(0);
  return overview;
}

test('the Health tab of a demo service and /platform/health show the demo', async ({
  page,
  request,
}) => {
  test.setTimeout(420_000);
  const headers = await guestHeaders(request);
  const overview = await fedOverview(request, headers);
  expect(overview.demo).toBe(true);
  const service = overview.services.find(firingOf);
  const [, name] = service.entityRef.split('/');
  const path = `/api/health/v1/entities/component/default/${name}`;
  const alerts = await readJson(request, `${path}/alerts`, headers);
  const incidents = await readJson(request, `${path}/incidents`, headers);

  await signInAsGuest(page);
  await page.goto(`/catalog/default/component/${name}/health`);

  // the firing alerts, each with its severity, summary and runbook
  const rows = page.getByTestId('firing-alert');
  await expect(rows).toHaveCount(alerts.alerts.length);
  const first = alerts.alerts[0];
  const row = rows.filter({ hasText: first.alertname }).first();
  await expect(row).toContainText(first.severity);
  if (first.summary) await expect(row).toContainText(first.summary);
  if (first.runbookUrl) {
    await expect(row.getByRole('link', { name: 'runbook' })).toHaveAttribute(
      'href',
      first.runbookUrl,
    );
  }
  // the SLO of both windows, marked as demo data
  await expect(page.getByTestId('slo-7d')).toContainText('error budget left');
  await expect(page.getByTestId('slo-30d')).toContainText('uptime');
  await expect(page.getByText('Demo data')).toBeVisible();
  // the incidents with MTTR and MTBF
  await expect(page.getByTestId('incident-count')).toContainText(
    `${incidents.reliability.incidents} incidents in 30 days`,
  );
  await expect(page.getByTestId('incident')).toHaveCount(
    incidents.incidents.length,
  );
  await expect(page.getByTestId('mttr')).toContainText('MTTR');
  // the guest owns nothing: no Silence button
  await expect(page.getByRole('button', { name: 'Silence' })).toHaveCount(0);
  await page.screenshot({
    path: screenshotPath('entity-health'),
    fullPage: true,
  });

  // The Status card on the overview has the health row.
  await page.goto(`/catalog/default/component/${name}`);
  await expect(page.getByTestId('status-alerts')).toHaveText(/firing/);

  // The estate's page: firing alerts by team and every service's SLO.
  await page.goto('/platform/health');
  const fresh = await readJson(request, '/api/health/v1/overview', headers);
  await expect(
    page.getByText(`Services (${fresh.services.length})`),
  ).toBeVisible();
  await expect(page.getByTestId('team-firing').first()).toBeVisible();
  await expect(page.getByTestId('health-summary')).toContainText(
    'firing alerts',
  );
  await page.screenshot({
    path: screenshotPath('platform-health'),
    fullPage: true,
  });

  // The search narrows the table. Typing sends one request per pause, not
  // one per keystroke: a loaded machine may stall between two keys for
  // longer than the debounce, so the bound is "fewer than the keys typed"
  // and the last request carries the whole term.
  const requests: string[] = [];
  page.on('request', r => {
    if (r.url().includes('/api/health/v1/overview')) requests.push(r.url());
  });
  await page
    .getByRole('textbox', { name: 'Search services' })
    .pressSequentially(name, { delay: 30 });
  const narrowed = fresh.services.filter((s: any) =>
    [s.entityRef, s.title, s.owner, s.system].some((f: string | undefined) =>
      f?.toLowerCase().includes(name.toLowerCase()),
    ),
  ).length;
  await expect(page.getByText(`Services (${narrowed})`)).toBeVisible();
  expect(requests.length).toBeGreaterThanOrEqual(1);
  expect(requests.length).toBeLessThan(name.length / 2);
  expect(requests[requests.length - 1]).toContain(
    `q=${encodeURIComponent(name)}`,
  );
});
