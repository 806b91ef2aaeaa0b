/*
 * Fail fast on a missing secret. Backstage substitutes `${NAME}` in config
 * files from the environment and leaves the value out when NAME is unset, so
 * a production backend without, say, POSTGRES_HOST would start and fail later
 * with an error that does not name the variable. Secrets come from files
 * (`$file: ${PORTAL_SECRETS_DIR:-/var/run/secrets/platform-portal}/<key>`);
 * the config loader stops on a missing one too, but on the first only, once
 * the backend has begun starting, and an empty file passes as ''.
 *
 * Before the backend starts we read the config files given with `--config`,
 * merge them as the config loader does (a later file's value replaces an
 * earlier one's; objects merge key by key, lists are replaced whole), and
 * stop with a message that names
 *   - each `${NAME}` (without a `${NAME:-fallback}`) and `$env: NAME` of the
 *     merged config whose variable is unset, and
 *   - each `$file` of the merged config whose file is missing, unreadable or
 *     empty: its path and the config key that reads it, never its content.
 * A variable or file used only by a value that a later file replaces is not
 * demanded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export type MissingVariable = {
  name: string;
  /** Config path that uses it, such as backend.database.connection.host. */
  configPath: string;
  file: string;
};

export type SecretFile = {
  /** The file's path, with the variables in it substituted. */
  path: string;
  /** Config path that reads it, such as backend.auth.keys[0].secret. */
  configPath: string;
  /** The config file that says `$file`. */
  file: string;
};

export type MissingFile = SecretFile & {
  problem: 'missing' | 'not a file' | 'not readable' | 'empty';
};

const SUBSTITUTION = /\$?\$\{([^{}]*)\}/g;
const INCLUDE_KEYS = ['$file', '$env', '$include'];

function variablesWithoutFallback(value: string): string[] {
  const names: string[] = [];
  for (const match of value.matchAll(SUBSTITUTION)) {
    if (match[0].startsWith('$$')) continue; // escaped
    const body = match[1].trim();
    if (body.includes(':-')) continue; // has a fallback
    names.push(body);
  }
  return names;
}

/**
 * What the config loader's substitution makes of a string: undefined when a
 * variable without a fallback is unset (empty counts as unset, as there).
 */
function substitute(value: string, env: NodeJS.ProcessEnv): string | undefined {
  let unset = false;
  const result = value.replace(SUBSTITUTION, (whole, body: string) => {
    if (whole.startsWith('$$')) return whole.slice(1);
    const separator = body.indexOf(':-');
    const name = (separator > -1 ? body.slice(0, separator) : body).trim();
    const fallback =
      separator > -1 ? body.slice(separator + 2).trim() : undefined;
    const resolved = env[name] || fallback || undefined;
    if (resolved === undefined) unset = true;
    return resolved ?? '';
  });
  return unset ? undefined : result;
}

/** The files passed as `--config <file>` or `--config=<file>`. */
export function configFilesFromArgv(argv: string[]): string[] {
  const files: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--config' && argv[i + 1]) files.push(argv[i + 1]);
    else if (arg.startsWith('--config=')) files.push(arg.slice(9));
  });
  return files;
}

/** A value of the merged config, with the file it came from. */
type Merged =
  | { kind: 'object'; children: Map<string, Merged> }
  | { kind: 'value'; value: unknown; file: string; dir: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInclude(value: unknown): value is Record<string, unknown> {
  return (
    isPlainObject(value) &&
    Object.keys(value).some(k => INCLUDE_KEYS.includes(k))
  );
}

/**
 * Lays `value` (from `file`) over `under`, as ConfigReader does: objects
 * merge key by key; anything else, lists and `$file`/`$env`/`$include`
 * included, replaces what was there.
 */
function overlay(
  under: Merged | undefined,
  value: unknown,
  file: string,
  dir: string,
): Merged {
  if (!isPlainObject(value) || isInclude(value)) {
    return { kind: 'value', value, file, dir };
  }
  const children =
    under?.kind === 'object'
      ? new Map(under.children)
      : new Map<string, Merged>();
  for (const [key, child] of Object.entries(value)) {
    children.set(key, overlay(children.get(key), child, file, dir));
  }
  return { kind: 'object', children };
}

type Reference =
  | { kind: 'variable'; name: string; configPath: string; file: string }
  | {
      kind: 'file';
      rawPath: string;
      dir: string;
      configPath: string;
      file: string;
    };

function referencesIn(
  value: unknown,
  configPath: string,
  file: string,
  dir: string,
  out: Reference[],
) {
  if (typeof value === 'string') {
    for (const name of variablesWithoutFallback(value)) {
      out.push({ kind: 'variable', name, configPath, file });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) =>
      referencesIn(item, `${configPath}[${i}]`, file, dir, out),
    );
  } else if (isInclude(value)) {
    if (typeof value.$file === 'string') {
      out.push({ kind: 'file', rawPath: value.$file, dir, configPath, file });
    } else if (typeof value.$env === 'string') {
      out.push({ kind: 'variable', name: value.$env, configPath, file });
    }
    // $include: the config loader reads and reports it.
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      referencesIn(
        child,
        configPath ? `${configPath}.${key}` : key,
        file,
        dir,
        out,
      );
    }
  }
}

function mergedReferences(files: string[], cwd: string): Reference[] {
  let merged: Merged | undefined;
  for (const file of files) {
    const absolute = path.resolve(cwd, file);
    if (!fs.existsSync(absolute)) continue; // the config loader reports it
    const data = parse(fs.readFileSync(absolute, 'utf8'));
    if (data === null || data === undefined) continue;
    merged = overlay(merged, data, file, path.dirname(absolute));
  }
  const out: Reference[] = [];
  const walk = (node: Merged, configPath: string) => {
    if (node.kind === 'value') {
      referencesIn(node.value, configPath, node.file, node.dir, out);
      return;
    }
    for (const [key, child] of node.children) {
      walk(child, configPath ? `${configPath}.${key}` : key);
    }
  };
  if (merged) walk(merged, '');
  return out;
}

/** Variables the merged `files` need that `env` does not set. */
export function findMissingVariables(
  files: string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): MissingVariable[] {
  const missing: MissingVariable[] = [];
  for (const ref of mergedReferences(files, cwd)) {
    if (ref.kind === 'variable' && !env[ref.name]) {
      missing.push({
        name: ref.name,
        configPath: ref.configPath,
        file: ref.file,
      });
    } else if (ref.kind === 'file') {
      // A variable in the file's path without a fallback.
      for (const name of variablesWithoutFallback(ref.rawPath)) {
        if (!env[name]) {
          missing.push({ name, configPath: ref.configPath, file: ref.file });
        }
      }
    }
  }
  return missing;
}

/**
 * The `$file`s the merged `files` read, their paths as `env` makes them
 * (those whose path needs an unset variable are left out: that variable is
 * reported instead).
 */
export function referencedFiles(
  files: string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): SecretFile[] {
  const found: SecretFile[] = [];
  for (const ref of mergedReferences(files, cwd)) {
    if (ref.kind !== 'file') continue;
    const substituted = substitute(ref.rawPath, env);
    if (substituted === undefined) continue;
    found.push({
      path: path.resolve(ref.dir, substituted),
      configPath: ref.configPath,
      file: ref.file,
    });
  }
  return found;
}

/** The `$file`s of the merged `files` that cannot give a value. */
export function findMissingFiles(
  files: string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): MissingFile[] {
  const missing: MissingFile[] = [];
  for (const secret of referencedFiles(files, env, cwd)) {
    const problem = fileProblem(secret.path);
    if (problem) missing.push({ ...secret, problem });
  }
  return missing;
}

function fileProblem(file: string): MissingFile['problem'] | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file); // follows the symlinks of a Secret volume
  } catch {
    return 'missing';
  }
  if (!stat.isFile()) return 'not a file';
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    return 'not readable';
  }
  // The config loader trims the end; only whether anything is left counts,
  // and the content goes nowhere else.
  return content.trimEnd() === '' ? 'empty' : undefined;
}

export function describeMissing(
  missing: MissingVariable[],
  missingFiles: MissingFile[] = [],
): string {
  const sections: string[] = [];
  if (missing.length > 0) {
    const lines = missing.map(
      m => `  ${m.name} (${m.configPath} in ${m.file})`,
    );
    sections.push(
      `required environment variable(s) not set:\n${lines.join('\n')}`,
    );
  }
  if (missingFiles.length > 0) {
    const lines = missingFiles.map(
      m => `  ${m.path}: ${m.problem} (${m.configPath} in ${m.file})`,
    );
    sections.push(
      `required secret file(s) missing, unreadable or empty:\n${lines.join(
        '\n',
      )}`,
    );
  }
  return `Cannot start: ${sections.join(
    '\nand ',
  )}\nSet them (see docs/production-install.md) or remove the config that uses them.`;
}

/**
 * Exits the process when a variable used by the `--config` files is unset or
 * a secret file they read is missing.
 */
export function exitOnMissingVariables(argv = process.argv, env = process.env) {
  const files = configFilesFromArgv(argv);
  const missing = findMissingVariables(files, env);
  const missingFiles = findMissingFiles(files, env);
  if (missing.length > 0 || missingFiles.length > 0) {
    process.stderr.write(`${describeMissing(missing, missingFiles)}\n`);
    process.exit(78); // EX_CONFIG
  }
}
