/**
 * Adoption test: our plugins installed into Backstage apps we did not write.
 *
 * For each template of `@backstage/create-app` (the default, new frontend
 * system, and `--legacy`): create a fresh app, point our package names at the
 * tarballs `scripts/adopt/pack-plugins.sh` made (root `resolutions`), follow
 * the install steps of every plugin README (`installSteps.ts`), type-check
 * the app, build its frontend, start its backend, and check that our
 * endpoints answer and our pages render in Chromium.
 *
 * Yarn's global cache (filled by this repository's own install) is reused,
 * and the app starts from this repository's yarn.lock, so that it gets the
 * same Backstage 1.55 versions (an unpinned install mixes in newer releases
 * that do not start together).
 */
import { test as base, expect, Page } from '@playwright/test';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { AppKind, applyInstallBlocks, readInstallBlocks } from './installSteps';

const ROOT = path.resolve(__dirname, '../..');
const WORK = path.join(ROOT, '.tools/adopt');
const PACKS = path.join(ROOT, '.tools/packs');
const CREATE_APP = '@backstage/create-app@0.9.2';
const INGEST_TOKEN = 'adopt-ingest-token-0123456789';
const BACKUP_TOKEN = 'adopt-backup-token-0123456789';
/** The README's team credential: it reports for chat-team's entities only. */
const TEAM_TOKEN = 'adopt-team-token-0123456789';
/** code-coverage-backend-module-platform's README: the platform team's coverage token. */
const COVERAGE_TOKEN = 'adopt-coverage-token-012345678';

const timings: string[] = [];

/**
 * Which template the worker's app comes from, and its backend's port: one
 * project each in playwright.adopt.config.ts, so the two apps are made,
 * built and checked in parallel (two workers).
 */
export type AdoptOptions = { app: { kind: AppKind; port: number } };

const test = base.extend<{}, AdoptOptions>({
  app: [
    { kind: 'new', port: 7107 },
    { option: true, scope: 'worker' },
  ],
});

function run(
  command: string,
  args: string[],
  options: { cwd: string; log: string; env?: Record<string, string> },
) {
  const started = Date.now();
  try {
    execFileSync(command, args, {
      cwd: options.cwd,
      env: {
        ...process.env,
        YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
        ...options.env,
      },
      stdio: [
        'ignore',
        fs.openSync(options.log, 'a'),
        fs.openSync(options.log, 'a'),
      ],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    const tail = fs
      .readFileSync(options.log, 'utf8')
      .split('\n')
      .slice(-40)
      .join('\n');
    throw new Error(
      `${command} ${args.join(' ')} failed in ${options.cwd}:\n${tail}`,
    );
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  timings.push(
    `${path.basename(options.cwd)}: ${command} ${args
      .slice(0, 3)
      .join(' ')}: ${seconds} s`,
  );
}

/**
 * The README's `yarn --cwd D add P@range` commands, done as `yarn add` does
 * them (the range written to D's package.json) with one `yarn install` for
 * all of them instead of one per directory; any other command runs as is.
 */
function installCommands(appDir: string, commands: string[]) {
  const others: string[][] = [];
  for (const command of commands) {
    const match = command.match(/^yarn --cwd (\S+) add (.+)$/);
    if (!match) {
      others.push(command.split(/\s+/));
      continue;
    }
    const file = path.join(appDir, match[1], 'package.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const spec of match[2].split(/\s+/)) {
      const at = spec.lastIndexOf('@');
      if (at <= 0) throw new Error(`${command}: ${spec} names no range`);
      manifest.dependencies[spec.slice(0, at)] = spec.slice(at + 1);
    }
    manifest.dependencies = Object.fromEntries(
      Object.entries(manifest.dependencies).sort(([a], [b]) =>
        a.localeCompare(b),
      ),
    );
    fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  return [['yarn', 'install'], ...others];
}

const ROOT_MANIFEST = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
);

/**
 * The app's better-sqlite3 gets the binary this repository's install built
 * (same Node, same version through the copied yarn.lock) instead of a second
 * node-gyp compile per app. Where the app resolved another version, or put it
 * elsewhere, it is built in the app after all (`yarn rebuild`), and the
 * timings say so.
 */
function provideBetterSqlite3(appDir: string, log: string) {
  const ours = path.join(ROOT, 'node_modules/better-sqlite3');
  const version = (dir: string) =>
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
      .version as string;
  const copies = [
    'node_modules/better-sqlite3',
    'packages/backend/node_modules/better-sqlite3',
  ]
    .map(dir => path.join(appDir, dir))
    .filter(dir => fs.existsSync(path.join(dir, 'package.json')));
  const sameVersion =
    copies.length > 0 && copies.every(dir => version(dir) === version(ours));
  if (!sameVersion || !fs.existsSync(path.join(ours, 'build'))) {
    timings.push(
      `${path.basename(appDir)}: better-sqlite3 ${copies
        .map(version)
        .join(', ')} differs from ${version(ours)}: built in the app`,
    );
    run('yarn', ['rebuild', 'better-sqlite3'], { cwd: appDir, log });
    return;
  }
  for (const dir of copies) {
    fs.cpSync(path.join(ours, 'build'), path.join(dir, 'build'), {
      recursive: true,
    });
  }
}

function ourReadmes() {
  return fs
    .readdirSync(path.join(ROOT, 'plugins'))
    .map(dir => path.join(ROOT, 'plugins', dir, 'README.md'))
    .filter(file => fs.existsSync(file));
}

async function waitForReady(url: string, log: string, child: ChildProcess) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    // backstage-cli keeps running after a crash: its log says so instead.
    if (/Backend startup failed|^Node\.js v\d+/m.test(text)) break;
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-60).join('\n');
  throw new Error(`the backend never became ready:\n${tail}`);
}

/** The sign-in page of a new app: enter as the guest. */
async function signInAsGuest(page: Page) {
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible({ timeout: 60_000 });
  await enter.click();
  await expect(enter).toBeHidden();
}

test.describe.serial('a fresh create-app app', () => {
  let kind: AppKind;
  /** The production version 'our endpoints answer' reports for example-website. */
  let deployedVersion: string | undefined;
  let appDir: string;
  let log: string;
  let baseUrl: string;
  let backend: ChildProcess | undefined;

  test.beforeAll(async ({ app }, testInfo) => {
    testInfo.setTimeout(1_200_000);
    kind = app.kind;
    appDir = path.join(WORK, `app-${kind}`);
    log = path.join(WORK, `app-${kind}.log`);
    baseUrl = `http://localhost:${app.port}`;
    fs.rmSync(appDir, { recursive: true, force: true });
    fs.rmSync(log, { force: true });
    run(
      'npx',
      [
        '-y',
        CREATE_APP,
        '--skip-install',
        '--path',
        appDir,
        ...(kind === 'legacy' ? ['--legacy'] : []),
      ],
      { cwd: WORK, log, env: { BACKSTAGE_APP_NAME: `adopt-${kind}` } },
    );
    fs.copyFileSync(
      path.join(ROOT, 'yarn.lock'),
      path.join(appDir, 'yarn.lock'),
    );

    // Our packages come from the tarballs, also as each other's dependencies.
    const manifest = JSON.parse(
      fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'),
    );
    manifest.resolutions = { ...manifest.resolutions };
    for (const tarball of fs
      .readdirSync(PACKS)
      .filter(f => f.endsWith('.tgz'))) {
      const name = tarball
        .replace(/-\d+\.\d+\.\d+\.tgz$/, '')
        .replace(/^@platform-portal-/, '@platform-portal/');
      manifest.resolutions[name] = `file:${path.join(PACKS, tarball)}`;
    }
    // Native builds: the app skips the ones this repository skips (its own
    // package.json names them: nothing here runs them), and better-sqlite3 is
    // not compiled again but copied from this repository's install below
    // (provideBetterSqlite3).
    manifest.dependenciesMeta = {
      ...ROOT_MANIFEST.dependenciesMeta,
      'better-sqlite3': { built: false },
      ...manifest.dependenciesMeta,
    };
    fs.writeFileSync(
      path.join(appDir, 'package.json'),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );

    // One origin for app and backend: the backend serves the built app.
    fs.writeFileSync(
      path.join(appDir, 'app-config.local.yaml'),
      `app:\n  baseUrl: ${baseUrl}\nbackend:\n  baseUrl: ${baseUrl}\n  listen:\n    port: ${app.port}\n`,
    );

    // As the backup-status README asks of entities that hold data: a
    // backup policy on the example website, so the Backups page has a row.
    const examples = path.join(appDir, 'examples/entities.yaml');
    const documents = yaml.parseAllDocuments(fs.readFileSync(examples, 'utf8'));
    const website = documents.find(
      d => d.getIn(['metadata', 'name']) === 'example-website',
    );
    if (!website) throw new Error(`${examples}: no example-website`);
    website.setIn(
      ['metadata', 'annotations', 'platform-portal.dev/backup-policy'],
      'postgres-daily',
    );
    fs.writeFileSync(examples, documents.map(d => d.toString()).join(''));

    const blocks = ourReadmes().flatMap(readInstallBlocks);
    const commands = applyInstallBlocks(appDir, kind, blocks);
    for (const [command, ...args] of installCommands(appDir, commands)) {
      run(command, args, { cwd: appDir, log });
    }
    provideBetterSqlite3(appDir, log);
    run('yarn', ['workspace', 'app', 'build'], { cwd: appDir, log });

    const backendLog = path.join(WORK, `backend-${kind}.log`);
    backend = spawn('yarn', ['workspace', 'backend', 'start'], {
      cwd: appDir,
      detached: true,
      env: {
        ...process.env,
        PLATFORM_INGEST_TOKEN: INGEST_TOKEN,
        CI_CHAT_INGEST_TOKEN: TEAM_TOKEN,
        BACKUP_INGEST_TOKEN: BACKUP_TOKEN,
        PLATFORM_COVERAGE_TOKEN: COVERAGE_TOKEN,
        // as the module-github README says: the webhook secret
        PLATFORM_GITHUB_WEBHOOK_SECRET: 'adopt-webhook-secret',
      },
      stdio: [
        'ignore',
        fs.openSync(backendLog, 'w'),
        fs.openSync(backendLog, 'a'),
      ],
    });
    const started = Date.now();
    await waitForReady(
      `${baseUrl}/.backstage/health/v1/readiness`,
      backendLog,
      backend,
    );
    timings.push(
      `app-${kind}: backend ready in ${((Date.now() - started) / 1000).toFixed(
        0,
      )} s`,
    );
  });

  test.afterAll(() => {
    fs.writeFileSync(
      path.join(WORK, `timings-${kind}.txt`),
      `${timings.join('\n')}\n`,
    );
    // eslint-disable-next-line no-console
    console.log(`adoption test timings (${kind}):\n${timings.join('\n')}`);
    if (backend?.pid) {
      try {
        process.kill(-backend.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });

  test('the app type-checks with our packages wired in', () => {
    test.setTimeout(600_000);
    run('yarn', ['tsc'], { cwd: appDir, log });
    const index = fs.readFileSync(
      path.join(appDir, 'packages/backend/src/index.ts'),
      'utf8',
    );
    expect(index).toContain(
      "import('@platform-portal/backstage-plugin-platform-deploy-backend')",
    );
    expect(index).not.toContain('allow-all-policy');
  });

  test('our endpoints answer', async ({ request }) => {
    const refresh = await request.get(`${baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(refresh.status()).toBe(200);
    const user = {
      authorization: `Bearer ${(await refresh.json()).backstageIdentity.token}`,
    };

    const version = `main-${Date.now().toString(16).slice(-7)}`;
    deployedVersion = version;
    const event = {
      entityRef: 'component:default/example-website',
      environment: 'production',
      version,
      status: 'succeeded',
      idempotencyKey: `adopt-${kind}-${version}`,
    };
    // The catalog of a fresh backend is still reading its example entities.
    await expect
      .poll(
        async () =>
          (
            await request.post(`${baseUrl}/api/platform-deploy/v1/events`, {
              headers: { authorization: `Bearer ${INGEST_TOKEN}` },
              data: event,
            })
          ).status(),
        { timeout: 120_000 },
      )
      .toBe(200);
    // The README's team credential may not report for another group's entity.
    const asTeam = await request.post(
      `${baseUrl}/api/platform-deploy/v1/events`,
      {
        headers: { authorization: `Bearer ${TEAM_TOKEN}` },
        data: { ...event, idempotencyKey: `adopt-team-${kind}-${version}` },
      },
    );
    expect(asTeam.status()).toBe(403);
    // A user token may not ingest.
    const asUser = await request.post(
      `${baseUrl}/api/platform-deploy/v1/events`,
      {
        headers: user,
        data: {},
      },
    );
    expect(asUser.status()).toBe(403);

    const overview = await request.get(
      `${baseUrl}/api/platform-deploy/v1/overview`,
      { headers: user },
    );
    expect(overview.status()).toBe(200);
    expect(JSON.stringify(await overview.json())).toContain(version);

    const costs = await request.get(`${baseUrl}/api/platform-deploy/v1/costs`, {
      headers: user,
    });
    expect(costs.status()).toBe(200);
    expect((await costs.json()).current.totals.monthlyUsd).toBe(50);

    const backups = await request.get(
      `${baseUrl}/api/backup-status/v1/overview`,
      { headers: user },
    );
    expect(backups.status()).toBe(200);

    // code-coverage-backend-module-platform in front of the community
    // backend: the README's token reports LCOV for the example website
    // (hand-made: one file, two lines, one hit); a user may read, not write.
    const website = 'component:default/example-website';
    const lcov = 'TN:\nSF:src/index.ts\nDA:1,1\nDA:2,0\nend_of_record\n';
    const reportUrl = `${baseUrl}/api/code-coverage/report?entity=${website}&coverageType=lcov`;
    const reported = await request.post(reportUrl, {
      headers: {
        authorization: `Bearer ${COVERAGE_TOKEN}`,
        'content-type': 'text/plain',
      },
      data: lcov,
    });
    expect(reported.status()).toBe(201);
    const reportedByUser = await request.post(reportUrl, {
      headers: { ...user, 'content-type': 'text/plain' },
      data: lcov,
    });
    expect(reportedByUser.status()).toBe(403);
    const coverage = await request.get(
      `${baseUrl}/api/code-coverage/report?entity=${website}`,
      { headers: user },
    );
    expect(coverage.status()).toBe(200);
    expect((await coverage.json()).aggregate.line).toMatchObject({
      available: 2,
      covered: 1,
    });

    // image-scans-backend: the website's environments from platform-deploy
    // (production runs the version reported above), none scanned yet.
    const scans = await request.get(
      `${baseUrl}/api/image-scans/v1/entities/component/default/example-website`,
      { headers: user },
    );
    expect(scans.status()).toBe(200);
    const production = (await scans.json()).environments.find(
      (e: { environment: string }) => e.environment === 'production',
    );
    expect(production).toMatchObject({ version });

    // health-backend without Alertmanager and Prometheus: its demo.
    const health = await request.get(`${baseUrl}/api/health/v1/overview`, {
      headers: user,
    });
    expect(health.status()).toBe(200);
    const healthBody = await health.json();
    expect(healthBody.demo).toBe(true);
    expect(
      healthBody.services.map((s: { entityRef: string }) => s.entityRef),
    ).toContain(website);

    const actions = await request.get(`${baseUrl}/api/scaffolder/v2/actions`, {
      headers: user,
    });
    const ids = (await actions.json()).map((a: { id: string }) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'platform:infra:render',
        'platform:gitops:render',
        'platform:gitops:set-image',
      ]),
    );

    const unsigned = await request.post(
      `${baseUrl}/api/platform-deploy/v1/webhooks/github`,
      {
        headers: { 'x-github-event': 'deployment' },
        data: {},
      },
    );
    expect(unsigned.status()).toBe(401);
  });

  test('our pages render', async ({ page }) => {
    await page.goto(`${baseUrl}/platform/deployments`);
    await signInAsGuest(page);
    await expect(page.getByText('example-website').first()).toBeVisible({
      timeout: 60_000,
    });
    await page.screenshot({
      path: path.join(WORK, `${kind}-deployments.png`),
      fullPage: true,
    });

    await page.goto(`${baseUrl}/platform/costs`);
    await expect(page.getByText('$50.00').first()).toBeVisible({
      timeout: 60_000,
    });

    // A backup job reports a run of the example website (annotated with a
    // policy in beforeAll): its row shows that last good backup.
    const finished = new Date();
    await expect
      .poll(
        async () =>
          (
            await page.request.post(`${baseUrl}/api/backup-status/v1/runs`, {
              headers: { authorization: `Bearer ${BACKUP_TOKEN}` },
              data: {
                entityRef: 'component:default/example-website',
                type: 'backup',
                status: 'succeeded',
                startedAt: new Date(finished.getTime() - 60_000).toISOString(),
                finishedAt: finished.toISOString(),
                idempotencyKey: `adopt-${kind}-${finished.getTime()}`,
                tool: 'pg_dump',
              },
            })
          ).status(),
        { timeout: 120_000 },
      )
      .toBe(200);
    await page.goto(`${baseUrl}/platform/backups`);
    await expect(
      page.getByRole('heading', { name: /Backups/ }).first(),
    ).toBeVisible({ timeout: 60_000 });
    await expect(async () => {
      await page.reload();
      const row = page.getByRole('row').filter({
        has: page.locator(
          'a[href$="/catalog/default/component/example-website"]',
        ),
      });
      await expect(row).toContainText('0 h ago', { timeout: 5_000 });
      await expect(row).toContainText('postgres-daily');
    }).toPass({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(WORK, `${kind}-backups.png`),
      fullPage: true,
    });

    // The example website's overview has both readiness cards; the Status
    // card shows the production deploy 'our endpoints answer' reported.
    expect(deployedVersion).toBeDefined();
    await page.goto(`${baseUrl}/catalog/default/component/example-website`);
    await expect(page.getByText('Production readiness').first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByTestId('status-production-version')).toHaveText(
      deployedVersion!,
      { timeout: 60_000 },
    );
    await page.screenshot({
      path: path.join(WORK, `${kind}-entity-readiness.png`),
      fullPage: true,
    });

    // The Quality tab shows the coverage 'our endpoints answer' reported,
    // and the health page lists the services (health-backend's demo).
    await page.goto(
      `${baseUrl}/catalog/default/component/example-website/quality`,
    );
    await expect(page.getByText('Test coverage').first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByText(/Lines: 50 %/).first()).toBeVisible();
    await page.screenshot({
      path: path.join(WORK, `${kind}-entity-quality.png`),
      fullPage: true,
    });
    await page.goto(`${baseUrl}/platform/health`);
    await expect(page.getByText(/^Services \(\d+\)$/)).toBeVisible({
      timeout: 60_000,
    });

    // The readiness page reads its summary from the readiness backend.
    const summary = page.waitForResponse(r =>
      r.url().endsWith('/api/readiness/v1/summary'),
    );
    await page.goto(`${baseUrl}/platform/readiness`);
    expect((await summary).status()).toBe(200);
    await expect(
      page
        .getByRole('button', { name: 'Download CSV' })
        .or(page.getByText('No entity evaluated yet')),
    ).toBeVisible({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(WORK, `${kind}-readiness.png`),
      fullPage: true,
    });
  });
});
