import { expect, test } from '@playwright/test';
import {
  BACKEND,
  deployTwice,
  ingestHeaders,
  screenshotPath,
  signInAsGuest,
} from './helpers';

/*
 * The Quality tab against the embedded default: the real code-coverage
 * (behind the portal's ingest-scope module), image-scans and platform-deploy
 * backends. The test reports, as CI does with the ingest token, a deploy of
 * mana-core-auth (no other file touches it), an LCOV report and the Trivy
 * report of the version it deployed, and finds them on the entity's tab.
 * mana-core-auth's critical paths are `src/auth/**, src/db/**`.
 */

const SERVICE = 'component:default/mana-core-auth';

// 3 of 4 lines of the auth guard (critical), all of the login, 1 of 4 of a helper
const LCOV = [
  'TN:',
  'SF:src/auth/guard.ts',
  'DA:1,1',
  'DA:2,1',
  'DA:3,1',
  'DA:4,0',
  'LF:4',
  'LH:3',
  'end_of_record',
  'SF:src/auth/login.ts',
  'DA:1,2',
  'DA:2,2',
  'DA:3,2',
  'DA:4,2',
  'LF:4',
  'LH:4',
  'end_of_record',
  'SF:src/e2e/helper.ts',
  'DA:1,1',
  'DA:2,0',
  'DA:3,0',
  'DA:4,0',
  'LF:4',
  'LH:1',
  'end_of_record',
  '',
].join('\n');

function trivyReport(version: string) {
  const stamp = Date.now().toString(16).padStart(64, '0').slice(-64);
  return {
    SchemaVersion: 2,
    ArtifactName: `ghcr.io/memo-2023/mana-core-auth:${version}`,
    ArtifactType: 'container_image',
    Metadata: { ImageID: `sha256:${stamp}` },
    Results: [
      {
        Target: `ghcr.io/memo-2023/mana-core-auth:${version} (debian 12.5)`,
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: [
          {
            VulnerabilityID: 'CVE-2024-45491',
            PkgName: 'libexpat1',
            InstalledVersion: '2.5.0-1',
            FixedVersion: '2.5.0-1+deb12u1',
            Severity: 'CRITICAL',
            Title: 'libexpat: Integer Overflow or Wraparound',
          },
          {
            VulnerabilityID: 'CVE-2099-0001',
            PkgName: 'e2e-only-package',
            InstalledVersion: '0.0.1',
            Severity: 'HIGH',
          },
        ],
      },
    ],
  };
}

test('coverage and the image scan CI reported show on the Quality tab', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const { current } = await deployTwice(request, SERVICE);

  // coverage as scripts/report-coverage posts it: LCOV as text
  await expect
    .poll(
      async () =>
        (
          await request.post(
            `${BACKEND}/api/code-coverage/report?entity=${SERVICE}&coverageType=lcov`,
            {
              headers: { ...ingestHeaders(), 'content-type': 'text/plain' },
              data: LCOV,
            },
          )
        ).status(),
      { timeout: 60_000 },
    )
    .toBe(201);

  // the scan of the version live in production, as scripts/report-scan posts it
  const scan = await request.post(
    `${BACKEND}/api/image-scans/v1/reports?entity=${SERVICE}&version=${current}`,
    { headers: ingestHeaders(), data: trivyReport(current) },
  );
  expect(scan.status(), await scan.text()).toBe(200);
  expect(await scan.json()).toEqual({ stored: 1, duplicates: 0 });

  await signInAsGuest(page);
  await page.goto('/catalog/default/component/mana-core-auth/quality');

  // 8 of 12 lines; the critical paths (src/auth/**) 7 of 8
  await expect(page.getByText('Lines: 66.7 %')).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText('Lines: 87.5 %')).toBeVisible();
  await expect(
    page.getByText('src/auth/guard.ts: 75 % (1 lines not covered)'),
  ).toBeVisible();
  await expect(page.getByText('Files below 80 % (2 of 3)')).toBeVisible();
  await expect(
    page.getByRole('cell', { name: 'src/e2e/helper.ts' }),
  ).toBeVisible();

  await expect(page.getByText(`production – ${current}`)).toBeVisible();
  const counts = page.getByLabel('production counts by severity');
  await expect(counts.getByText('CRITICAL 1')).toBeVisible();
  await expect(counts.getByText('HIGH 1')).toBeVisible();
  await expect(page.getByText('CRITICAL open in production')).toBeVisible();
  await expect(
    page.getByRole('cell', { name: 'e2e-only-package' }),
  ).toBeVisible();
  await expect(
    page.getByRole('cell', { name: '2.5.0-1+deb12u1' }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: screenshotPath('quality-tab'),
    fullPage: true,
  });
});
