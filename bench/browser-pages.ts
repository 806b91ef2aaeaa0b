/*
 * The portal's pages in a real browser at N services (default 10,000): how
 * long from the start of a navigation until the first table rows of
 * services are visible, on /platform/deployments, /platform/backups and
 * /platform/readiness, side by side with the catalog's own index page
 * (/catalog) in the same run; and, on our three pages, how many overview
 * requests typing a search term one key at a time sends (debounce).
 *
 * The portal: the real backend (packages/backend, every plugin, from source
 * as bench/backend-start.ts runs it) with app-config.yaml plus an override
 * (a temp file: the local PostgreSQL under the prefix bench_browser_, a free
 * port, guest sign-in as in the embedded default), serving the app's
 * production build (packages/app/dist) itself, as the browser tests do with
 * E2E_APP=dist (playwright.config.ts). The build runs only when dist is
 * missing or older than the app's and the frontend plugins' sources (its
 * time is printed, not counted).
 *
 * The estate (bench/estate.ts): the catalog processes K template components
 * itself (a file location of the override); its rows for them are then
 * copied in SQL to N services, and platform-deploy's, backup-status' and
 * readiness' tables are filled in SQL for the same N. The tasks that would
 * rewrite or recompute those tables during the run (platform-deploy's
 * catalog sync, the readiness evaluation and its fact retrievers) and the
 * embedded default's demo feeds and collators, which would otherwise run
 * over N services in the background, are moved past the run in the
 * override; backup-status' snapshot refresh (every minute) runs as it does
 * in production.
 *
 * The browser: Debian's Chromium through Playwright, with the launch
 * arguments of playwright.config.ts. The guest signs in once (as
 * packages/app/e2e-tests/helpers.ts does); each page then loads in a new
 * browser context with that session (empty HTTP cache: "first", also the
 * first request of that page's API since the backend started) and WARM times
 * more in the same context; then IN_APP in-app navigations to it (a click
 * on its sidebar item on /settings: no app start). "First rows" is
 * `performance.now()` (ms since the navigation started, or since the
 * click) at the first animation frame in which a table row linking to a
 * catalog entity is visible; the API call behind them is the Resource
 * Timing entry of the overview request that ended last before it. Then, on
 * our pages, TERM is typed into the search box KEY_DELAY_MS apart and the
 * overview requests from the first key until 2 s after the last counted.
 *
 *   bash bench/run.sh browser-pages
 *   BENCH_BROWSER_SERVICES=500 bash bench/run.sh browser-pages
 */
import { ChildProcess, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser, Page, Request } from '@playwright/test';
import knexFactory from 'knex';
import yaml from 'yaml';
import {
  BENCH_PG,
  freshPostgresConfig,
  spawnPortalBackend,
  freePort,
} from './backends';
import {
  cloneCatalog,
  ENVIRONMENTS,
  fillBackupRuns,
  fillDeployments,
  fillReadiness,
  templateComponents,
} from './estate';
import { machine, quantile, writeSection } from './results';

const repoRoot = path.resolve(__dirname, '..');
const N = Number(process.env.BENCH_BROWSER_SERVICES ?? 10_000);
const K = 20;
const WARM = 5;
const IN_APP = 3;
const PREFIX = 'bench_browser_';
const TOKEN = 'bench-browser-token-0123456789';
const TERM = 'svc-0001';
const KEY_DELAY_MS = 60;
const TARGET_MS = 1000;
const READINESS_HISTORY_DAYS = 90;
/** As playwright.config.ts launches it. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface PageSpec {
  name: string;
  path: string;
  /** Its sidebar item. */
  nav: string;
  /** Visible once the first rows are: a link to an entity in a table row. */
  rows: string;
  /** The overview request behind the rows (a part of its URL). */
  api: string;
  /** The search box, on our pages. */
  search?: string;
  /** What the page does with the search term (for the section). */
  searchNote?: string;
}

const PAGES: PageSpec[] = [
  {
    name: 'catalog index `/catalog` (reference)',
    path: '/catalog',
    nav: 'Catalog',
    rows: 'table tbody tr a[href^="/catalog/default/component/"]',
    api: '/api/catalog/entities/by-query',
  },
  {
    name: 'deployments `/platform/deployments`',
    path: '/platform/deployments',
    nav: 'Deployments',
    rows: 'table[aria-label="deployments matrix"] tbody tr[data-entity-ref] a',
    api: '/api/platform-deploy/v1/overview',
    search: '#platform-deploy-search',
    searchNote: 'server-side search (`q`), useDebounce 300 ms',
  },
  {
    name: 'backups `/platform/backups`',
    path: '/platform/backups',
    nav: 'Backups',
    rows: 'table tbody tr a[href^="/catalog/default/"]',
    api: '/api/backup-status/v1/overview',
    search: '#backup-overview-search',
    searchNote: 'server-side search (`q`), useDebounce 300 ms',
  },
  {
    name: 'readiness `/platform/readiness`',
    path: '/platform/readiness',
    nav: 'Readiness',
    rows: 'table tbody tr a[href^="/catalog/default/component/"]',
    api: '/api/readiness/v1/entities',
    search: 'input[placeholder="Filter"]',
    searchNote: 'server-side search (`q`), useDebounce 300 ms',
  },
];

const seconds = (since: number) => (Date.now() - since) / 1000;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The newest file of what goes into packages/app/dist (app and frontend plugins). */
function newestAppSource(): number {
  const roots = [path.join(repoRoot, 'packages/app')];
  for (const dir of fs.readdirSync(path.join(repoRoot, 'plugins'))) {
    const pkg = path.join(repoRoot, 'plugins', dir, 'package.json');
    if (!fs.existsSync(pkg)) continue;
    const role: string = JSON.parse(fs.readFileSync(pkg, 'utf8')).backstage
      ?.role;
    if (!/^(backend|node)/.test(role ?? '')) {
      roots.push(path.join(repoRoot, 'plugins', dir));
    }
  }
  let newest = 0;
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const root of roots) {
    for (const part of ['src', 'public', 'package.json']) {
      if (fs.existsSync(path.join(root, part))) walk(path.join(root, part));
    }
  }
  return newest;
}

/** Builds packages/app as scripts/test.sh does, if dist is missing or stale. */
function ensureAppBuild(logDir: string): string {
  const index = path.join(repoRoot, 'packages/app/dist/index.html');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestAppSource()) {
    return 'packages/app/dist up to date, not rebuilt';
  }
  const started = Date.now();
  const log = path.join(logDir, 'app-build.log');
  const fd = fs.openSync(log, 'w');
  const result = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  if (result.status !== 0) {
    throw new Error(`yarn workspace app build failed, see ${log}`);
  }
  return `packages/app/dist rebuilt first: \`yarn workspace app build\`, ${seconds(
    started,
  ).toFixed(0)} s, not counted`;
}

const LATER = {
  frequency: { hours: 24 },
  timeout: { minutes: 15 },
  initialDelay: { hours: 24 },
};

/** The override of app-config.yaml: our database, port, estate and schedules. */
async function writeConfig(dir: string, port: number) {
  const base = `http://localhost:${port}`;
  const templatesFile = path.join(dir, 'templates.yaml');
  fs.writeFileSync(
    templatesFile,
    templateComponents(K, {
      'platform-portal.dev/backup-policy': 'postgres-daily',
    })
      .map(e => yaml.stringify(e))
      .join('---\n'),
  );
  const appConfig = yaml.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const retrievers = Object.fromEntries(
    Object.keys(appConfig.techInsights.factRetrievers).map(id => [
      id,
      { cadence: '0 0 1 1 *', initialDelay: { hours: 24 } },
    ]),
  );
  const config = {
    app: { baseUrl: base },
    backend: {
      baseUrl: base,
      listen: { port },
      cors: { origin: base },
      database: await freshPostgresConfig(PREFIX),
      // the bench's own token, to check the totals; replaces the ingest token
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: TOKEN, subject: 'bench-browser' },
            accessRestrictions: [
              { plugin: 'catalog' },
              { plugin: 'platform-deploy' },
              { plugin: 'backup-status' },
              { plugin: 'readiness' },
            ],
          },
        ],
      },
    },
    catalog: {
      // the copies are not in the file: no reprocessing of it during the run
      processingInterval: { minutes: 60 },
      locations: [
        ...appConfig.catalog.locations,
        {
          type: 'file',
          target: templatesFile,
          rules: [{ allow: ['Component'] }],
        },
      ],
    },
    platformDeploy: {
      environments: ENVIRONMENTS,
      demo: { enabled: false },
      catalogSync: { schedule: LATER },
    },
    backupStatus: {
      demo: { enabled: false },
      notifications: { schedule: LATER },
    },
    readiness: { schedule: LATER },
    techInsights: { factRetrievers: retrievers },
    codeCoverage: { demo: { enabled: false } },
    imageScans: { demo: { enabled: false } },
    // monitoring mode (nothing listens there): no demo feed over N services
    health: {
      alertmanager: { baseUrl: 'http://127.0.0.1:9' },
      prometheus: { baseUrl: 'http://127.0.0.1:9' },
    },
    search: {
      collators: {
        catalog: { schedule: LATER },
        techdocs: { schedule: LATER },
      },
    },
    techdocs: { prebuild: { schedule: LATER } },
  };
  const file = path.join(dir, 'bench.yaml');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return { base, file };
}

function startBackend(configFile: string, logFile: string): ChildProcess {
  const fd = fs.openSync(logFile, 'w');
  const child = spawnPortalBackend({
    configFile,
    env: {
      // as `yarn start backend` (backstage-cli package start): the guest
      // provider signs in only in development
      NODE_ENV: 'development',
      PLATFORM_INGEST_TOKEN: 'unused-by-the-bench-0123456789',
    },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  return child;
}

async function stopBackend(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(500);
  }
}

/** Signs in through the guest provider, as packages/app/e2e-tests/helpers.ts does. */
async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.waitFor({ timeout: 120_000 });
  await enter.click();
  await enter.waitFor({ state: 'hidden', timeout: 60_000 });
  await page
    .getByTestId('sidebar-root')
    .getByRole('link', { name: 'Catalog', exact: true })
    .waitFor({ timeout: 60_000 });
}

interface Load {
  /** ms from navigation start to the first visible row. */
  rowsMs: number;
  /** The app's code fetched before the rows showed (JavaScript files). */
  scripts: {
    count: number;
    /** bytes on the wire / decoded */
    bytes: number;
    decoded: number;
    /** ms from `origin` to the end of the last of them */
    lastEnd: number;
  };
  /** The API call behind the rows. */
  call?: {
    url: string;
    start: number;
    ms: number;
    bytes: number;
    decoded: number;
  };
}

/** A full page load of the page. */
async function load(page: Page, spec: PageSpec): Promise<Load> {
  await page.goto(spec.path, { waitUntil: 'commit', timeout: 120_000 });
  return measure(page, spec, 0);
}

/**
 * An in-app navigation to the page: from /settings (no table), a click on
 * its sidebar item; the app is loaded, signed in and its code cached.
 */
async function navigateInApp(page: Page, spec: PageSpec): Promise<Load> {
  await page.goto('/settings', { timeout: 120_000 });
  const link = page
    .getByTestId('sidebar-root')
    .getByRole('link', { name: spec.nav, exact: true });
  await link.waitFor({ timeout: 120_000 });
  await sleep(1000); // the settings page's own requests
  const origin = await page.evaluate(() => {
    performance.clearResourceTimings();
    return performance.now();
  });
  await link.click();
  return measure(page, spec, origin);
}

/** The first visible row and the call behind it, in ms since `origin`. */
async function measure(
  page: Page,
  spec: PageSpec,
  origin: number,
): Promise<Load> {
  const handle = await page.waitForFunction(
    selector => {
      for (const el of Array.from(document.querySelectorAll(selector))) {
        if (el.getClientRects().length > 0 && el.checkVisibility()) {
          return performance.now();
        }
      }
      return 0;
    },
    spec.rows,
    { polling: 'raf', timeout: 120_000 },
  );
  const rowsMs = ((await handle.jsonValue()) as number) - origin;
  // One read of Resource Timing: the entries, filtered here.
  const entries = await page.evaluate(() =>
    performance.getEntriesByType('resource').map(e => {
      const r = e as PerformanceResourceTiming;
      return {
        url: r.name,
        start: r.startTime,
        end: r.responseEnd,
        bytes: r.encodedBodySize,
        decoded: r.decodedBodySize,
      };
    }),
  );
  // the rows' request, not a count (the catalog's limit=0)
  const calls = entries.filter(
    e => e.url.includes(spec.api) && !/[?&]limit=0(&|$)/.test(e.url),
  );
  const scripts = entries.filter(
    e =>
      /\.js(\?|$)/.test(new URL(e.url).pathname) &&
      e.start >= origin &&
      e.end <= origin + rowsMs,
  );
  const behind = calls
    .map(c => ({ ...c, start: c.start - origin, end: c.end - origin }))
    .filter(c => c.end <= rowsMs)
    .sort((a, b) => a.end - b.end)
    .pop();
  return {
    rowsMs,
    scripts: {
      count: scripts.length,
      bytes: scripts.reduce((sum, r) => sum + r.bytes, 0),
      decoded: scripts.reduce((sum, r) => sum + r.decoded, 0),
      lastEnd: Math.max(0, ...scripts.map(r => r.end)) - origin,
    },
    call: behind && {
      url: behind.url.replace(/^https?:\/\/[^/]+/, ''),
      start: behind.start,
      ms: behind.end - behind.start,
      bytes: behind.bytes,
      decoded: behind.decoded,
    },
  };
}

interface Typing {
  keys: number;
  requests: string[];
  /** ms from the last key to the first row being a match, if it became one. */
  filteredMs?: number;
}

/** Types TERM key by key into the page's search box; counts overview requests. */
async function typeSearch(page: Page, spec: PageSpec): Promise<Typing> {
  await sleep(1500); // the page's own first requests are done
  const input = page.locator(spec.search!).first();
  await input.click();
  const requests: string[] = [];
  const onRequest = (r: Request) => {
    if (r.url().includes(spec.api)) {
      requests.push(r.url().replace(/^https?:\/\/[^/]+/, ''));
    }
  };
  page.on('request', onRequest);
  await page.keyboard.type(TERM, { delay: KEY_DELAY_MS });
  const lastKey = Date.now();
  const filtered = page
    .waitForFunction(
      ([selector, term]) => {
        const first = document.querySelector(selector);
        return first && (first.getAttribute('href') ?? '').includes(term)
          ? Date.now()
          : 0;
      },
      [spec.rows, TERM] as const,
      { polling: 'raf', timeout: 10_000 },
    )
    .then(h => h.jsonValue() as Promise<number>)
    .catch(() => undefined);
  await sleep(2000);
  page.off('request', onRequest);
  const at = await filtered;
  return {
    keys: TERM.length,
    requests,
    filteredMs: at === undefined ? undefined : at - lastKey,
  };
}

const fmt = (ms: number | undefined) =>
  ms === undefined ? '–' : ms.toFixed(0);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

async function main() {
  const runStarted = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-browser-'));
  const build = ensureAppBuild(dir);
  console.log(build);

  const port = await freePort();
  const { base, file } = await writeConfig(dir, port);
  const logFile = path.join(dir, 'backend.log');
  const backendStarted = Date.now();
  const child = startBackend(file, logFile);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let browser: Browser | undefined;
  const db = (plugin: string) =>
    knexFactory({ client: 'pg', connection: `${BENCH_PG}/${PREFIX}${plugin}` });
  const api = async (p: string) => {
    const res = await fetch(`${base}${p}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  let ok = false;
  try {
    await until('backend ready', 300_000, async () => {
      if (child.exitCode !== null)
        throw new Error(`backend exited, see ${logFile}`);
      const res = await fetch(`${base}/.backstage/health/v1/readiness`);
      return res.ok ? true : undefined;
    });
    const readySeconds = seconds(backendStarted);
    console.log(`backend ready on ${base} after ${readySeconds.toFixed(0)} s`);

    // the catalog has processed and stitched the K templates
    const catalogDb = db('catalog');
    const templatesStarted = Date.now();
    await until('templates processed', 300_000, async () => {
      const [{ count }] = await catalogDb('final_entities')
        .where('entity_ref', 'like', 'component:default/svc-%')
        .whereNotNull('final_entity')
        .count({ count: '*' });
      return Number(count) >= K ? true : undefined;
    });
    const templatesSeconds = seconds(templatesStarted);
    const t0 = Date.now();
    await cloneCatalog(catalogDb, K, N);
    const catalogSeconds = seconds(t0);
    await catalogDb.destroy();
    const t1 = Date.now();
    const deployDb = db('platform-deploy');
    await fillDeployments(deployDb, K, N, { ownTitles: true });
    await deployDb.destroy();
    const backupDb = db('backup-status');
    await fillBackupRuns(backupDb, N);
    await backupDb.destroy();
    const readinessDb = db('readiness');
    await fillReadiness(readinessDb, N, READINESS_HISTORY_DAYS);
    const [{ count: readinessRows }] = await readinessDb(
      'readiness_entities',
    ).count({ count: '*' });
    await readinessDb.destroy();
    const pluginsSeconds = seconds(t1);

    const components = (
      await api('/api/catalog/entities/by-query?filter=kind=component&limit=1')
    ).totalItems;
    const deployments = (await api('/api/platform-deploy/v1/overview?limit=1'))
      .totalItems;
    // backup-status' snapshot refresh (every minute) picks the copies up
    const snapshotStarted = Date.now();
    const backups = await until('backup snapshot', 150_000, async () => {
      const { totalItems } = await api(
        '/api/backup-status/v1/overview?limit=1',
      );
      return totalItems >= N ? totalItems : undefined;
    });
    const snapshotSeconds = seconds(snapshotStarted);
    console.log(
      `seeded: catalog ${components} components (templates processed in ${templatesSeconds.toFixed(
        0,
      )} s, copied in ${catalogSeconds.toFixed(
        1,
      )} s), platform-deploy ${deployments}, backup-status ${backups} (snapshot after ${snapshotSeconds.toFixed(
        0,
      )} s), readiness ${readinessRows} (plugins' tables ${pluginsSeconds.toFixed(
        1,
      )} s)`,
    );
    if (
      components < N ||
      deployments !== N ||
      Number(readinessRows) !== N ||
      backups < N
    ) {
      throw new Error('the copies do not add up');
    }
    const seedSeconds = seconds(backendStarted);

    const browserStarted = Date.now();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    const signIn = await browser.newContext({ baseURL: base });
    await signInAsGuest(await signIn.newPage());
    const storageState = await signIn.storageState();
    await signIn.close();

    const loadBefore = os.loadavg()[0];
    const results: Array<{
      spec: PageSpec;
      loads: Load[];
      inApp: Load[];
      typing?: Typing;
    }> = [];
    const show = (what: string, l: Load) =>
      console.log(
        `${what}: rows at ${fmt(l.rowsMs)} ms; ${l.call?.url} sent at ${fmt(
          l.call?.start,
        )} ms, took ${fmt(l.call?.ms)} ms, ${
          l.call ? kb(l.call.decoded) : '–'
        }`,
      );
    for (const spec of PAGES) {
      const context = await browser.newContext({ baseURL: base, storageState });
      const page = await context.newPage();
      const loads: Load[] = [];
      for (let i = 0; i <= WARM; i++) {
        loads.push(await load(page, spec));
        show(`${spec.path} ${i === 0 ? 'first' : `warm ${i}`}`, loads[i]);
        await sleep(500);
      }
      const typing = spec.search ? await typeSearch(page, spec) : undefined;
      if (typing) {
        console.log(
          `${spec.path} typing '${TERM}' (${
            typing.keys
          } keys, ${KEY_DELAY_MS} ms apart): ${
            typing.requests.length
          } overview requests ${JSON.stringify(
            typing.requests,
          )}; first row a match ${fmt(
            typing.filteredMs,
          )} ms after the last key`,
        );
      }
      const inApp: Load[] = [];
      for (let i = 0; i < IN_APP; i++) {
        inApp.push(await navigateInApp(page, spec));
        show(`${spec.path} in-app ${i + 1}`, inApp[i]);
      }
      results.push({ spec, loads, inApp, typing });
      await context.close();
    }
    await browser.close();
    browser = undefined;
    const browserSeconds = seconds(browserStarted);
    const loadAfter = os.loadavg()[0];

    // what the backups page asked for against what there is
    const backupPage =
      results.find(r => r.spec.path === '/platform/backups')?.loads[0].call
        ?.url ?? '';
    const backupLimit = new URL(backupPage, base).searchParams.get('limit');
    const backupAnswer = await api(
      `/api/backup-status/v1/overview?limit=${backupLimit ?? 1000}`,
    );

    const p50 = (values: number[]) =>
      values.length ? quantile(values, 0.5) : undefined;
    const verdict = (spec: PageSpec, loads: Load[], inApp: Load[]) => {
      if (spec.path === '/catalog') return 'reference';
      const warm = loads.slice(1);
      const warmMax = Math.max(...warm.map(l => l.rowsMs));
      const over = [
        loads[0].rowsMs >= TARGET_MS &&
          `first load ${fmt(loads[0].rowsMs)} ms, ${fmt(
            loads[0].scripts.lastEnd,
          )} ms of it until the last of the app's ${
            loads[0].scripts.count
          } JavaScript files (${kb(loads[0].scripts.decoded)}) had arrived`,
        warmMax >= TARGET_MS && `warm loads up to ${fmt(warmMax)} ms`,
      ].filter(Boolean);
      if (over.length === 0) return 'met';
      const boot = p50(warm.flatMap(l => (l.call ? [l.call.start] : [])));
      const nav = p50(inApp.map(l => l.rowsMs));
      return `not met: ${over.join(
        ', ',
      )}; the overview request leaves only after ${fmt(
        boot,
      )} ms of a warm load (the app's start); in-app navigation ${fmt(nav)} ms`;
    };
    const rowsTable = [
      `| page (${N.toLocaleString(
        'en-US',
      )} services) | full load, first: first rows (ms) | full load, warm: first rows p50 / max (ms, ${WARM}) | overview request leaves, warm p50 (ms) | in-app navigation: first rows p50 / max (ms, ${IN_APP}) | API call behind the rows | its time: first / warm p50 / in-app p50 (ms) | its body (decoded / on the wire) | < 1 s |`,
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...results.map(({ spec, loads, inApp }) => {
        const warm = loads.slice(1);
        const call = loads[0].call;
        const callMs = (ls: Load[]) =>
          p50(ls.flatMap(l => (l.call ? [l.call.ms] : [])));
        return `| ${spec.name} | ${fmt(loads[0].rowsMs)} | ${fmt(
          p50(warm.map(l => l.rowsMs)),
        )} / ${fmt(Math.max(...warm.map(l => l.rowsMs)))} | ${fmt(
          p50(warm.flatMap(l => (l.call ? [l.call.start] : []))),
        )} | ${fmt(p50(inApp.map(l => l.rowsMs)))} / ${fmt(
          Math.max(...inApp.map(l => l.rowsMs)),
        )} | \`${call?.url ?? '–'}\` | ${fmt(call?.ms)} / ${fmt(
          callMs(warm),
        )} / ${fmt(callMs(inApp))} | ${
          call ? `${kb(call.decoded)} / ${kb(call.bytes)}` : '–'
        } | ${verdict(spec, loads, inApp)} |`;
      }),
    ].join('\n');
    const typingTable = [
      `| page | keys typed ('${TERM}', ${KEY_DELAY_MS} ms apart) | overview requests, first key to 2 s after the last | first row a match, after the last key (ms) | what the page does |`,
      '| --- | --- | --- | --- | --- |',
      ...results.flatMap(({ spec, typing }) =>
        typing
          ? [
              `| ${spec.name} | ${typing.keys} | ${typing.requests.length}${
                typing.requests.length
                  ? ` (${typing.requests.map(r => `\`${r}\``).join(', ')})`
                  : ''
              } | ${fmt(typing.filteredMs)} | ${spec.searchNote} |`,
            ]
          : [],
      ),
    ].join('\n');
    const firstLoadTable = [
      '| page | JavaScript files fetched before the rows | their size (on the wire / decoded) | the last of them ends (ms) | the overview request leaves (ms) | first rows (ms) |',
      '| --- | --- | --- | --- | --- | --- |',
      ...results.map(({ spec, loads }) => {
        const { scripts, call, rowsMs } = loads[0];
        return `| ${spec.name} | ${scripts.count} | ${kb(scripts.bytes)} / ${kb(
          scripts.decoded,
        )} | ${fmt(scripts.lastEnd)} | ${fmt(call?.start)} | ${fmt(rowsMs)} |`;
      }),
    ].join('\n');
    console.log(rowsTable);
    console.log(firstLoadTable);
    console.log(typingTable);
    const totalSeconds = seconds(runStarted);
    writeSection(
      'portal pages in Chromium, next to the catalog',
      `Measured by \`bench/browser-pages.ts\` on this machine (${machine()}; 1-minute load average ${loadBefore.toFixed(
        1,
      )} before the browser part, ${loadAfter.toFixed(
        1,
      )} after) with the local PostgreSQL 15 (databases under \`${PREFIX}\`, fresh each run). The portal: the real backend (every plugin of packages/backend, from source) with app-config.yaml and an override, serving the app's production build itself as the browser tests do with E2E_APP=dist (${build}); Debian's Chromium through Playwright with the launch arguments of playwright.config.ts, signed in as the guest. The estate: the catalog processed ${K} template components itself (a file location; ${templatesSeconds.toFixed(
        0,
      )} s after the backend was ready), whose rows in every catalog table were copied in SQL to ${N.toLocaleString(
        'en-US',
      )} services (${catalogSeconds.toFixed(
        1,
      )} s; the catalog answered ${components} components with the estate's own); platform-deploy's deploy_entities and deploy_state (3 environments), backup-status' runs (a backup and a restore test each; the components carry a backup policy, so the page lists them with the estate's ${
        backups - N
      } other entities) and readiness' latest evaluations with ${READINESS_HISTORY_DAYS} days of history were filled in SQL (${pluginsSeconds.toFixed(
        1,
      )} s together). Background tasks that would rewrite those tables or work over every service (platform-deploy's catalog sync, the readiness evaluation and its fact retrievers, the demo feeds, the search collators, the TechDocs prebuild) were moved past the run in the override; backup-status' snapshot refresh runs every minute as in production. Backend start to ready ${readySeconds.toFixed(
        0,
      )} s; start to seeded ${seedSeconds.toFixed(
        0,
      )} s; the browser part ${browserSeconds.toFixed(
        0,
      )} s; the whole run ${totalSeconds.toFixed(0)} s.

"First rows" is \`performance.now()\` at the first animation frame in which a table row linking to an entity is visible. A full load counts from the start of the navigation (\`page.goto\`: the app's code, config and the sign-in from the stored session included); each page loads once in a new browser context ("first": empty HTTP cache, and the first request of its API since the backend started) and then ${WARM} times more in the same context ("warm"). An in-app navigation counts from the click on the page's sidebar item on /settings (app loaded and signed in). The API call is the overview request that ended last before the rows showed (Resource Timing, request start to last byte; "leaves" is when it started). Target: first rows under 1 s on our pages, for a full load.

${rowsTable}

Where a first load's time goes (the "first" load of the table above, Resource Timing since the navigation started): the app's code is fetched and run before the page's own code asks for its rows.

${firstLoadTable}

Typing a search term one key at a time into each page's search box, counting the requests to the page's overview endpoint from the first key until 2 s after the last (after the last warm load of the table above):

${typingTable}

The backups page asks the API for one page at a time (\`limit=${
        backupLimit ?? '?'
      }\` with an offset; the API answered ${
        backupAnswer.items.length
      } of its ${
        backupAnswer.totalItems
      } entities, worst first, with the summary of all). The readiness page asks the API for one page of its table at a time (\`/v1/entities\`, with the search and a heatmap cell's filter) and for the summary.
`,
    );
    ok = true;
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    await stopBackend(child);
    process.off('exit', killOnExit);
    await freshPostgresConfig(PREFIX); // drops the run's databases
    if (ok) fs.rmSync(dir, { recursive: true, force: true });
    else console.error(`backend log and config kept in ${dir}`);
  }
}

main()
  .then(() => process.exit(0))
  .catch(e => {
    console.error(e);
    process.exit(1);
  });
