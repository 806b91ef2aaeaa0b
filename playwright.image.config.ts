import { defineConfig } from '@playwright/test';
import path from 'node:path';

/**
 * The image test (scripts/image/image.test.ts): the image that
 * scripts/image/build.sh built, run with Podman as deploy/kubernetes runs it.
 * No browser; one container at a time on the backend's port.
 */
const reportsDir = path.resolve(__dirname, '.tools/reports');

export default defineConfig({
  testDir: 'scripts/image',
  testMatch: 'image.test.ts',
  timeout: 120_000,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(reportsDir, 'playwright-image.json') }],
  ],
  outputDir: 'e2e-test-results/image',
});
