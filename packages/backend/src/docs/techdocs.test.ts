/*
 * The portal's own TechDocs site (mkdocs.yml + docs/), built with the same
 * Debian mkdocs and mkdocs-material that the TechDocs local generator runs
 * (techdocs.generator.runIn: local), in strict mode: a warning such as a link
 * to a missing page fails the build. mkdocs 1.4 does not check anchors, so
 * this test checks every internal link and anchor of the built site itself,
 * and that the runbook links inside our plugins point at pages that exist.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigReader } from '@backstage/config';
import { TechdocsGenerator } from '@backstage/plugin-techdocs-node';

const repoRoot = path.resolve(__dirname, '../../../..');
const docsDir = path.join(repoRoot, 'docs');
const mkdocsBin = process.env.MKDOCS ?? 'mkdocs';

/** TechDocs URL prefix of the System `platform-portal` (root catalog-info.yaml). */
const PORTAL_DOCS_PREFIX = '/docs/default/system/platform-portal/';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-types']);

let siteDir: string;
let buildOutput: string;

function listFiles(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return SKIP_DIRS.has(entry.name) ? [] : listFiles(full, ext);
    }
    return entry.name.endsWith(ext) ? [full] : [];
  });
}

/** The built page that a site-relative path like `runbooks/rollback/` serves. */
function pageFile(sitePath: string): string {
  const clean = sitePath.replace(/^\/+/, '');
  if (clean === '' || clean.endsWith('/')) {
    return path.join(siteDir, clean, 'index.html');
  }
  return path.join(siteDir, clean);
}

const idCache = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  let ids = idCache.get(file);
  if (!ids) {
    const html = fs.readFileSync(file, 'utf8');
    ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map(m => m[1]));
    idCache.set(file, ids);
  }
  return ids;
}

function navPaths(nav: unknown): string[] {
  if (typeof nav === 'string') return [nav];
  if (Array.isArray(nav)) return nav.flatMap(navPaths);
  if (nav && typeof nav === 'object')
    return Object.values(nav).flatMap(navPaths);
  return [];
}

beforeAll(() => {
  siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-techdocs-'));
  const result = spawnSync(
    mkdocsBin,
    [
      'build',
      '--strict',
      '--config-file',
      path.join(repoRoot, 'mkdocs.yml'),
      '--site-dir',
      siteDir,
    ],
    { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.error) {
    throw new Error(
      `Cannot run ${mkdocsBin} (${result.error.message}). Install Debian's mkdocs: ` +
        'apt-get install -y mkdocs mkdocs-material python3-pymdownx ' +
        '(or set MKDOCS to its path).',
    );
  }
  buildOutput = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(`mkdocs build --strict failed:\n${buildOutput}`);
  }
});

afterAll(() => {
  if (siteDir) fs.rmSync(siteDir, { recursive: true, force: true });
});

describe('the portal TechDocs site', () => {
  it('builds with mkdocs --strict and no warnings', () => {
    const warnings = buildOutput
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .filter(line => /^\s*(WARNING|ERROR)\b/.test(line));
    expect(warnings).toEqual([]);
    expect(fs.existsSync(path.join(siteDir, 'index.html'))).toBe(true);
  });

  it('is the TechDocs of the platform-portal System', () => {
    const system = parse(
      fs.readFileSync(path.join(repoRoot, 'catalog-info.yaml'), 'utf8'),
    );
    expect(system.kind).toBe('System');
    expect(system.metadata.name).toBe('platform-portal');
    expect(system.metadata.annotations['backstage.io/techdocs-ref']).toBe(
      'dir:.',
    );
  });

  it('lists every page in the nav', () => {
    const config = parse(
      fs.readFileSync(path.join(repoRoot, 'mkdocs.yml'), 'utf8'),
    );
    const inNav = new Set(navPaths(config.nav));
    const pages = listFiles(docsDir, '.md').map(f =>
      path.relative(docsDir, f).split(path.sep).join('/'),
    );
    expect(pages.filter(p => !inNav.has(p))).toEqual([]);
    expect([...inNav].filter(p => !pages.includes(p))).toEqual([]);
  });

  it('has no broken internal link or anchor', () => {
    const broken: string[] = [];
    for (const file of listFiles(siteDir, '.html')) {
      // 404.html links from the site root, which TechDocs rewrites.
      if (file.includes(`${path.sep}assets${path.sep}`)) continue;
      if (path.basename(file) === '404.html') continue;
      const html = fs.readFileSync(file, 'utf8');
      for (const [, href] of html.matchAll(/\shref="([^"]+)"/g)) {
        if (/^(https?:|mailto:|data:)/.test(href)) continue;
        if (/\.(css|js|png|svg|ico|json|xml)(\?|$)/.test(href)) continue;
        const [target, anchor] = href.split('#');
        const targetFile = target
          ? path.resolve(
              path.dirname(file),
              target.endsWith('/') || target === '.' || target === '..'
                ? path.join(target, 'index.html')
                : target,
            )
          : file;
        const where = `${path.relative(siteDir, file)} -> ${href}`;
        if (!fs.existsSync(targetFile)) {
          broken.push(`${where} (no page)`);
        } else if (anchor && !idsOf(targetFile).has(anchor)) {
          broken.push(`${where} (no anchor)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('loads no stylesheet from another host (TechDocs waits for every one)', () => {
    // The TechDocs reader keeps a page at opacity 0 until each <link
    // rel="stylesheet"> fires "load"; one that cannot load (offline, a
    // blocked CDN) hides the page for good.
    const external = listFiles(siteDir, '.html').flatMap(file =>
      [
        ...fs
          .readFileSync(file, 'utf8')
          .matchAll(/<link[^>]*rel="stylesheet"[^>]*href="(https?:[^"]+)"/g),
      ].map(m => `${path.relative(siteDir, file)}: ${m[1]}`),
    );
    expect(external).toEqual([]);
  });

  it('has the parts of a runbook in every runbook', () => {
    const runbooks = listFiles(path.join(docsDir, 'runbooks'), '.md').filter(
      f => !f.endsWith('index.md') && !f.endsWith('cost-model.md'),
    );
    expect(runbooks.length).toBeGreaterThanOrEqual(8);
    for (const file of runbooks) {
      const text = fs.readFileSync(file, 'utf8');
      const missing = [
        /\*\*When to use\*\*/,
        /\*\*Preconditions\*\*/,
        /^(#+ .*|\*\*)Verify/m,
        /^(#+ .*|\*\*)Roll back/m,
        /^#+ .*Target time/m,
        /^\s*1\. /m,
      ].filter(part => !part.test(text));
      expect({ file: path.basename(file), missing }).toEqual({
        file: path.basename(file),
        missing: [],
      });
    }
  });

  it('indents list content by 4 spaces, as Python-Markdown needs to nest it', () => {
    // A code block or sub-list indented by 1-3 spaces ends the list: the
    // steps after it restart at 1. docs/.prettierrc.json keeps
    // Prettier at 4.
    const offending = listFiles(docsDir, '.md').flatMap(file =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.basename(file)}:${i + 1}` }))
        .filter(
          ({ line }, i, lines) =>
            /^ {1,3}(```|\d+\. |[-*] )/.test(line) ||
            // an admonition's body must be indented too (Prettier undoes it)
            (/^(!!!|\?\?\?)/.test(line) &&
              !/^ {4}\S/.test(lines[i + 1]?.line ?? '')),
        )
        .map(({ at }) => at),
    );
    expect(offending).toEqual([]);
  });

  it('has an incident response section for each alert rule of the estate', () => {
    const page = pageFile('runbooks/incident-response/');
    for (const anchor of [
      'service-down',
      'high-error-rate',
      'high-cpu',
      'high-memory',
      'disk-space-low',
    ]) {
      expect(idsOf(page)).toContain(anchor);
    }
  });

  it('writes the search index that the TechDocs search collator reads', () => {
    // DefaultTechDocsCollatorFactory fetches
    // /static/docs/<ns>/<kind>/<name>/search/search_index.json
    const index = JSON.parse(
      fs.readFileSync(path.join(siteDir, 'search/search_index.json'), 'utf8'),
    );
    const locations = index.docs.map((d: { location: string }) => d.location);
    expect(locations).toContain('runbooks/rollback/');
    expect(locations).toContain('runbooks/cost-model/');
  });

  it('has a page for every runbook link in our plugins', () => {
    const sources = listFiles(path.join(repoRoot, 'plugins'), '.ts')
      .concat(listFiles(path.join(repoRoot, 'plugins'), '.tsx'))
      .filter(f => !f.includes('.test.'));
    const links = new Set<string>();
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      for (const [, link] of text.matchAll(
        /['"`](\/docs\/default\/system\/platform-portal\/[^'"`$]*)['"`]/g,
      )) {
        links.add(link);
      }
    }
    expect(links.size).toBeGreaterThan(0);
    const broken = [...links].filter(link => {
      const [sitePath, anchor] = link
        .slice(PORTAL_DOCS_PREFIX.length)
        .split('#');
      const file = pageFile(sitePath);
      return !fs.existsSync(file) || (anchor && !idsOf(file).has(anchor));
    });
    expect(broken).toEqual([]);
  });
  it("has a page and anchor for every readiness check's fix link (app-config.yaml)", () => {
    const config = parse(
      fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
    );
    const checks = Object.entries<any>(config.techInsights.factChecker.checks);
    expect(checks.length).toBeGreaterThan(0);
    const broken = checks
      .map(([id, check]) => [id, check.metadata.fix.url as string])
      .filter(([, url]) => {
        if (!url.startsWith(PORTAL_DOCS_PREFIX)) return true;
        const [sitePath, anchor] = url
          .slice(PORTAL_DOCS_PREFIX.length)
          .split('#');
        const file = pageFile(sitePath);
        return !fs.existsSync(file) || (anchor && !idsOf(file).has(anchor));
      });
    expect(broken).toEqual([]);
  });
});

/*
 * The same docs through TechDocs' own generator, configured from
 * app-config.yaml's `techdocs` section, as the portal builds them. The
 * generator sanitizes and rewrites mkdocs.yml in place (for a `dir:` ref on a
 * file location that is the repository itself): mkdocs.yml is kept in the
 * form it writes, so running the portal leaves the working tree clean, and it
 * declares `plugins: [search]`, without which the generator writes
 * `plugins: []` and there is no search index for the search collator.
 */
describe('the portal TechDocs site, built by the TechDocs generator', () => {
  let inputDir: string;
  let outputDir: string;

  beforeAll(async () => {
    inputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-techdocs-in-'));
    outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-techdocs-out-'));
    fs.copyFileSync(
      path.join(repoRoot, 'mkdocs.yml'),
      path.join(inputDir, 'mkdocs.yml'),
    );
    fs.cpSync(docsDir, path.join(inputDir, 'docs'), { recursive: true });

    const appConfig = parse(
      fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
    );
    const config = new ConfigReader({ techdocs: appConfig.techdocs });
    const logger: any = {
      info() {},
      warn() {},
      error() {},
      debug() {},
      child() {
        return logger;
      },
    };
    const generator = TechdocsGenerator.fromConfig(config, { logger });
    await generator.run({
      inputDir,
      outputDir,
      parsedLocationAnnotation: { type: 'dir', target: '.' },
      logger,
      siteOptions: { name: 'platform-portal' },
    });
  }, 60_000);

  afterAll(() => {
    fs.rmSync(inputDir, { recursive: true, force: true });
    fs.rmSync(outputDir, { recursive: true, force: true });
  });

  it('leaves mkdocs.yml as it is in the repository', () => {
    expect(fs.readFileSync(path.join(inputDir, 'mkdocs.yml'), 'utf8')).toBe(
      fs.readFileSync(path.join(repoRoot, 'mkdocs.yml'), 'utf8'),
    );
  });

  it('writes the search index that the TechDocs collator reads', () => {
    const index = JSON.parse(
      fs.readFileSync(path.join(outputDir, 'search/search_index.json'), 'utf8'),
    );
    const locations = index.docs.map((d: { location: string }) => d.location);
    expect(locations).toContain('runbooks/incident-response/');
    expect(locations).toContain('runbooks/cost-model/');
  });

  it('links no stylesheet from another host', () => {
    const html = fs.readFileSync(
      path.join(outputDir, 'runbooks/cost-model/index.html'),
      'utf8',
    );
    expect(html).toContain('assets/stylesheets/main');
    expect(html).not.toMatch(/<link[^>]*rel="stylesheet"[^>]*href="https?:/);
  });
});
