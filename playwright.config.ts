import { defineConfig } from '@playwright/test';
import path from 'node:path';
import {
  BACKEND,
  PORTAL_URL,
  SERVED_BY_BACKEND,
} from './packages/app/e2e-tests/helpers';

/**
 * Browser tests run Debian's Chromium (a test tool's own browser download
 * cannot run here) against the portal that `webServer` starts: the same
 * `yarn start` as the README's run command, on SQLite in memory. With
 * E2E_APP=dist (the test command: it builds packages/app first) only the
 * backend starts and serves the app's production build on :7007; a page
 * loads in seconds instead of parsing the development bundle for a minute.
 *
 * Set PORTAL_URL to test a portal that is already running instead.
 *
 * selfService.test.ts also starts a second backend (port 7008) and a FAKE
 * GitHub for its owner's tests (e2e-tests/ownerPortal.ts says why).
 */
const BACKEND_READY = `${BACKEND}/.backstage/health/v1/readiness`;
const reportsDir = path.resolve(__dirname, '.tools/reports');

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  // with the development server, a test's first page parses its bundle:
  // 1-2.5 min on 2 cores with the other worker's Chromium beside it
  timeout: 240_000,
  expect: { timeout: 60_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Test files run side by side (two cores); tests of one file in order.
  // Each test reports its own data on entities no other file changes, so
  // any order and any pairing pass. E2E_WORKERS=1: one file after another.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(reportsDir, 'playwright.json') }],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  webServer: process.env.PORTAL_URL
    ? []
    : [
        {
          // With E2E_APP=dist the backend also serves the app's production
          // build (app-backend, from packages/app/dist) on its own origin.
          command: 'yarn start backend',
          url: BACKEND_READY,
          env: {
            ...(SERVED_BY_BACKEND ? { APP_CONFIG_app_baseUrl: BACKEND } : {}),
            // The TechDocs collator first indexes 45 s after start, not 90 s
            // (app-config.yaml), and then every minute: the TechDocs prebuild
            // (15 s after start) published the portal's docs 3.5 s into its
            // run here, and a first indexing that came too early is followed
            // by another well within costs.test.ts's search deadline.
            APP_CONFIG_search_collators_techdocs_schedule: JSON.stringify({
              frequency: { minutes: 1 },
              timeout: { minutes: 15 },
              initialDelay: { seconds: 45 },
            }),
          },
          reuseExistingServer: !process.env.CI,
          timeout: 300_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
        ...(SERVED_BY_BACKEND
          ? []
          : [
              {
                // After the backend is ready: the frontend's first webpack
                // build beside a starting backend starved the backend CLI's
                // IPC on 2 cores ("IPC request 'DevDataStore.load' timed
                // out", every plugin failed to start)
                command: `node scripts/lib/wait-for-url.js ${BACKEND_READY} && yarn start app`,
                url: PORTAL_URL,
                reuseExistingServer: !process.env.CI,
                timeout: 600_000,
                stdout: 'ignore' as const,
                stderr: 'pipe' as const,
              },
            ]),
      ],
  use: {
    baseURL: PORTAL_URL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The owner's portal (ownerPortal.ts) is a second backend on
        // loopback that the page calls from its own origin: Chromium's
        // local network access checks would refuse the page it fulfilled
        '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests',
      ],
    },
  },
  outputDir: 'e2e-test-results/artifacts',
  projects: [{ name: 'chromium' }],
});
