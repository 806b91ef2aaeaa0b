import { defineConfig } from '@playwright/test';
import path from 'node:path';
import type { AdoptOptions } from './scripts/adopt/adopt.test';

/**
 * The adoption test (scripts/adopt/adopt.test.ts): fresh apps from
 * @backstage/create-app with our packed plugins installed as the READMEs say.
 * It starts its own backends (ports 7107 and 7207), so no webServer here.
 * One project per template; the two run side by side (two workers, one
 * app each) after globalSetup has packed our plugins once.
 */
const reportsDir = path.resolve(__dirname, '.tools/reports');

export default defineConfig<AdoptOptions>({
  testDir: 'scripts/adopt',
  testMatch: 'adopt.test.ts',
  globalSetup: './scripts/adopt/globalSetup.ts',
  timeout: 600_000,
  expect: { timeout: 60_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  // ADOPT_WORKERS=1 makes one app after the other.
  workers: Number(process.env.ADOPT_WORKERS ?? 2),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(reportsDir, 'playwright-adopt.json') }],
  ],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    },
  },
  outputDir: 'e2e-test-results/adopt',
  projects: [
    // @backstage/create-app's default template: the new frontend system.
    { name: 'default app', use: { app: { kind: 'new', port: 7107 } } },
    { name: '--legacy app', use: { app: { kind: 'legacy', port: 7207 } } },
  ],
});
