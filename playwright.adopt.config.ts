import { defineConfig } from '@playwright/test';
import path from 'node:path';

/**
 * The adoption test (scripts/adopt/adopt.test.ts): fresh apps from
 * @backstage/create-app with our packed plugins installed as the READMEs say.
 * It starts its own backends (ports 7107 and 7207), so no webServer here.
 */
const reportsDir = path.resolve(__dirname, '.tools/reports');

export default defineConfig({
  testDir: 'scripts/adopt',
  testMatch: 'adopt.test.ts',
  timeout: 600_000,
  expect: { timeout: 60_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
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
  projects: [{ name: 'chromium' }],
});
