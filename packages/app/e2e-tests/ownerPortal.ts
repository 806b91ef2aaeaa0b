/**
 * A second backend of the portal for the tests in which someone who owns a
 * service changes it, with GitHub replaced by a FAKE.
 *
 * Why a second backend: the embedded default offers one sign-in, the guest
 * provider, and it signs everyone in as `user:development/guest`, who may
 * only read (platformPolicy.readOnlyUsers). A backend has one guest
 * identity, so this one (same packages/backend, same app-config.yaml) signs
 * the guest in as the catalog User `chat-developer` (member of chat-team,
 * owner of chat-backend, not of quote-backend), and its GitHub integration
 * points at the fake. The browser keeps using the app on :3000: `usePortal`
 * sends the page's backend requests (:7007) to this backend instead.
 *
 * The FAKE GitHub (plugins/scaffolder-backend-module-platform/src/__testUtils__/FakeGitHub.ts)
 * implements the REST endpoints that `publish:github:pull-request`,
 * `fetch:plain` and the URL reader call, backed by real git repositories:
 * the scaffolder really pushes, and a test reads the branch back with git.
 */
import { Page } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// A fake at the code host boundary, shared with the scaffolder module's tests.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { FakeGitHub } from '../../../plugins/scaffolder-backend-module-platform/src/__testUtils__/FakeGitHub';
import { PORTAL_URL, SERVED_BY_BACKEND } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const WORK = path.join(ROOT, 'e2e-test-results/owner-portal');

/** The port of the second backend. */
export const OWNER_BACKEND = 'http://localhost:7008';
/** Who the second backend signs in: owner of chat-backend (catalog/org.yaml). */
export const OWNER = 'user:default/chat-developer';

/** The GitOps repository as the render action leaves it for quote-backend. */
const GITOPS_GOLDEN = path.join(
  ROOT,
  'plugins/scaffolder-backend-module-platform/src/actions/gitops/__golden__/quote-backend/gitops',
);

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(
      full,
      'utf8',
    );
  }
  return files;
}

/**
 * The GitOps files of `name`, made from the golden files of quote-backend
 * (same shape: blue/green slots, staging and production overlays).
 */
export function gitopsFilesOf(name: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(readTree(GITOPS_GOLDEN)).map(([file, content]) => [
      file.replaceAll('quote-backend', name),
      content.replaceAll('quote-backend', name),
    ]),
  );
}

async function waitForReady(url: string, log: string, child: ChildProcess) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    if (
      /Backend failed to start|Backend startup failed|Cannot start/.test(text)
    )
      break;
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-60).join('\n');
  throw new Error(`the owner's backend never became ready:\n${tail}`);
}

export type OwnerPortal = {
  github: FakeGitHub;
  /** Sends the page's backend requests to the owner's backend. */
  use(page: Page): Promise<void>;
  stop(): Promise<void>;
};

/** Polls the owner's catalog until it has every entity of `refs`. */
async function waitForEntities(refs: string[]) {
  const refresh = await fetch(`${OWNER_BACKEND}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const { token } = (await refresh.json()).backstageIdentity;
  const deadline = Date.now() + 120_000;
  let missing = refs;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${OWNER_BACKEND}/api/catalog/entities/by-refs`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ entityRefs: refs, fields: ['kind'] }),
      },
    );
    const { items } = await response.json();
    missing = refs.filter((_, i) => !items?.[i]);
    if (!missing.length) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`the owner's catalog never read ${missing.join(', ')}`);
}

/**
 * Starts the fake GitHub (with `repos`) and the owner's backend on :7008,
 * and waits until its catalog has `entities`.
 */
export async function startOwnerPortal(
  repos: Record<string, Record<string, string>>,
  entities: string[],
): Promise<OwnerPortal> {
  const github = new FakeGitHub();
  await github.start();
  for (const [slug, files] of Object.entries(repos)) {
    const [owner, repo] = slug.split('/');
    github.createRepo(owner, repo, files);
  }

  fs.mkdirSync(WORK, { recursive: true });
  const configFile = path.join(WORK, 'app-config.owner.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      {
        // the page stays on the portal's origin (use() below sends its
        // backend requests here); a page this backend serves itself
        // (E2E_APP=dist) calls it from there
        app: { baseUrl: PORTAL_URL },
        backend: {
          baseUrl: OWNER_BACKEND,
          listen: { port: 7008 },
          cors: { origin: PORTAL_URL, credentials: true },
        },
        auth: { providers: { guest: { userEntityRef: OWNER } } },
        integrations: {
          github: [
            {
              host: 'github.com',
              apiBaseUrl: github.apiBaseUrl,
              // A fake token for the fake server; never a real secret.
              token: 'fake-github-token',
            },
          ],
        },
        scaffolder: {
          defaultAuthor: { name: 'Portal', email: 'portal@mana.how' },
        },
        // These tests read no docs: no builds competing for the two cores.
        techdocs: {
          prebuild: {
            schedule: {
              frequency: { hours: 24 },
              timeout: { minutes: 15 },
              initialDelay: { hours: 24 },
            },
          },
        },
        search: {
          collators: {
            techdocs: {
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 15 },
                initialDelay: { hours: 24 },
              },
            },
          },
        },
      },
      null,
      2,
    ),
  );

  const log = path.join(WORK, 'backend.log');
  const backend = spawn(
    'yarn',
    [
      'start',
      'backend',
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: ROOT,
      detached: true,
      env: {
        ...process.env,
        // app-config.yaml's github integration reads it; the fake accepts any.
        GITHUB_TOKEN: 'fake-github-token',
      },
      stdio: ['ignore', fs.openSync(log, 'w'), fs.openSync(log, 'a')],
    },
  );
  const stop = async () => {
    if (backend.pid && backend.exitCode === null) {
      try {
        process.kill(-backend.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await github.stop();
  };
  try {
    await waitForReady(
      `${OWNER_BACKEND}/.backstage/health/v1/readiness`,
      log,
      backend,
    );
    await waitForEntities(entities);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    github,
    async use(page) {
      await page.route(/^http:\/\/localhost:7007\//, async route => {
        const url = route
          .request()
          .url()
          .replace('http://localhost:7007/', `${OWNER_BACKEND}/`);
        if (!SERVED_BY_BACKEND) {
          await route.continue({ url });
          return;
        }
        // The page itself comes from :7007: answered with this backend's
        // response under the page's own origin (continue() would make the
        // document :7008's, and its CSP refuse :7007's scripts); the app it
        // serves then calls this backend directly (its backend.baseUrl).
        await route.fulfill({ response: await route.fetch({ url }) });
      });
    },
    stop,
  };
}
