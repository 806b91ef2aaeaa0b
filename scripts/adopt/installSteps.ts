/**
 * The install steps of our plugin READMEs, read as a machine would follow
 * them. A README's code block takes part when its info string names its
 * target with `title="..."`:
 *
 *   ```sh title="install"                      commands, run in the app's root
 *   ```ts title="packages/backend/src/index.ts" lines added before `backend.start();`
 *                                                (`replaces="<text>"`: lines
 *                                                containing it are removed first)
 *   ```yaml title="app-config.yaml"            merged into the app's config
 *   ```tsx title="packages/app/src/App.tsx" app="legacy"
 *                                                imports on top, the rest inside
 *                                                `<FlatRoutes>`
 *   ```tsx title="packages/app/src/components/catalog/EntityPage.tsx#serviceEntityPage" app="legacy"
 *                                                imports on top, the rest inside the
 *                                                `<EntityLayout>` of that constant
 *   ```tsx title="...EntityPage.tsx#overviewContent" app="legacy"
 *                                                inside the `<Grid container>` of
 *                                                that constant
 *
 * `app="legacy"` or `app="new"` limits a block to one kind of frontend app.
 * A README whose steps no longer fit an app breaks the adoption test.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

export type AppKind = 'new' | 'legacy';

export type InstallBlock = {
  readme: string;
  lang: string;
  title: string;
  app?: AppKind;
  replaces?: string;
  code: string;
};

const FENCE = /^```(\w+)([^\n]*)\n([\s\S]*?)^```/gm;
const ATTRIBUTE = /(\w+)="([^"]*)"/g;

export function readInstallBlocks(readme: string): InstallBlock[] {
  const text = fs.readFileSync(readme, 'utf8');
  const blocks: InstallBlock[] = [];
  for (const [, lang, info, code] of text.matchAll(FENCE)) {
    const attributes = Object.fromEntries(
      [...info.matchAll(ATTRIBUTE)].map(([, key, value]) => [key, value]),
    );
    if (!attributes.title) continue;
    blocks.push({
      readme,
      lang,
      title: attributes.title,
      app: attributes.app as AppKind | undefined,
      replaces: attributes.replaces,
      code,
    });
  }
  return blocks;
}

function splitImports(code: string) {
  const imports: string[] = [];
  const rest: string[] = [];
  // import statements may span lines: collect until the `from '...';` line
  let current: string[] | undefined;
  for (const line of code.split('\n')) {
    if (!current && /^import\b/.test(line)) current = [];
    if (current) {
      current.push(line);
      if (
        /from\s+['"][^'"]+['"];?\s*$/.test(line) ||
        /^import\s+['"]/.test(line)
      ) {
        imports.push(current.join('\n'));
        current = undefined;
      }
      continue;
    }
    if (line.trim() && !line.trim().startsWith('//')) rest.push(line);
  }
  return { imports, rest: rest.join('\n') };
}

function addImports(source: string, imports: string[]) {
  const missing = imports.filter(i => !source.includes(i));
  if (!missing.length) return source;
  return `${missing.join('\n')}\n${source}`;
}

function insertBefore(
  source: string,
  marker: string,
  code: string,
  where: string,
) {
  const index = source.indexOf(marker);
  if (index < 0) throw new Error(`${where}: no "${marker}" to insert before`);
  return `${source.slice(0, index)}${code}\n${source.slice(index)}`;
}

/** Inserts into the JSX of `const <name> = (...)` before its last closing tag `close`. */
function insertIntoConstant(
  source: string,
  name: string,
  close: string,
  code: string,
  where: string,
) {
  const start = source.search(new RegExp(`const ${name}\\s*=`));
  if (start < 0) throw new Error(`${where}: no constant ${name}`);
  const end = source.indexOf('\n);', start);
  const body = source.slice(start, end);
  const closing = body.lastIndexOf(close);
  if (closing < 0) throw new Error(`${where}: ${name} has no ${close}`);
  const at = start + closing;
  return `${source.slice(0, at)}${code}\n${source.slice(at)}`;
}

/** Removes the whole `backend.add(...);` statement that mentions `text`. */
function removeStatement(source: string, text: string, where: string) {
  const at = source.indexOf(text);
  if (at < 0) throw new Error(`${where}: nothing mentions ${text} to replace`);
  const start = source.lastIndexOf('backend.add(', at);
  const end = source.indexOf(');', at) + 2;
  return `${source.slice(0, start)}${source.slice(end).replace(/^\n/, '')}`;
}

/** Maps merge key by key; lists add up (two READMEs may each add a token). */
function deepMerge(base: any, addition: any): any {
  if (Array.isArray(base) && Array.isArray(addition))
    return [...base, ...addition];
  if (isObject(base) && isObject(addition)) {
    const merged = { ...base };
    for (const [key, value] of Object.entries(addition)) {
      merged[key] = key in base ? deepMerge(base[key], value) : value;
    }
    return merged;
  }
  return addition;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies the file blocks to the app; returns the commands to run, in order. */
export function applyInstallBlocks(
  appDir: string,
  kind: AppKind,
  blocks: InstallBlock[],
): string[] {
  const commands: string[] = [];
  for (const block of blocks) {
    if (block.app && block.app !== kind) continue;
    const where = `${path.relative(process.cwd(), block.readme)} (${
      block.title
    })`;
    if (block.title === 'install') {
      commands.push(
        ...block.code
          .split('\n')
          .map(l => l.trim())
          .filter(l => l && !l.startsWith('#')),
      );
      continue;
    }
    const [file, anchor] = block.title.split('#');
    const target = path.join(appDir, file);
    if (!fs.existsSync(target))
      throw new Error(`${where}: the app has no ${file}`);
    let source = fs.readFileSync(target, 'utf8');
    if (file.endsWith('.yaml')) {
      source = yaml.stringify(
        deepMerge(yaml.parse(source) ?? {}, yaml.parse(block.code) ?? {}),
      );
    } else if (file === 'packages/backend/src/index.ts') {
      if (block.replaces) {
        source = removeStatement(source, block.replaces, where);
      }
      const { imports, rest } = splitImports(block.code);
      source = insertBefore(
        addImports(source, imports),
        'backend.start();',
        rest,
        where,
      );
    } else if (file.endsWith('App.tsx')) {
      const { imports, rest } = splitImports(block.code);
      source = insertBefore(
        addImports(source, imports),
        '</FlatRoutes>',
        rest,
        where,
      );
    } else if (file.endsWith('EntityPage.tsx')) {
      const { imports, rest } = splitImports(block.code);
      source = addImports(source, imports);
      source =
        anchor === 'overviewContent'
          ? insertIntoConstant(source, anchor, '</Grid>', rest, where)
          : insertIntoConstant(
              source,
              anchor ?? 'serviceEntityPage',
              '</EntityLayout>',
              rest,
              where,
            );
    } else {
      throw new Error(`${where}: no rule for ${file}`);
    }
    fs.writeFileSync(target, source);
  }
  return commands;
}
