/*
 * Fail fast on a missing secret. Backstage substitutes `${NAME}` in config
 * files from the environment and leaves the value out when NAME is unset, so
 * a production backend without, say, POSTGRES_PASSWORD would start and fail
 * later with an error that does not name the variable. Before the backend
 * starts we read the config files given with `--config`, collect every
 * `${NAME}` without a `${NAME:-fallback}`, and stop with a message that names
 * each missing variable and where it is used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, isPair, isScalar, visit } from 'yaml';

export type MissingVariable = {
  name: string;
  /** Config path that uses it, such as backend.database.connection.password. */
  configPath: string;
  file: string;
};

const SUBSTITUTION = /\$?\$\{([^{}]*)\}/g;

/** `${NAME}` references in the string values of one YAML config file. */
export function referencedVariables(
  yamlText: string,
): Array<{ name: string; configPath: string }> {
  const found: Array<{ name: string; configPath: string }> = [];
  visit(parseDocument(yamlText), {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'string') return;
      for (const match of node.value.matchAll(SUBSTITUTION)) {
        if (match[0].startsWith('$$')) continue; // escaped
        const body = match[1].trim();
        if (body.includes(':-')) continue; // has a fallback
        const configPath = ancestors
          .filter(isPair)
          .map(pair => (isScalar(pair.key) ? String(pair.key.value) : '?'))
          .join('.');
        found.push({ name: body, configPath });
      }
    },
  });
  return found;
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

export function findMissingVariables(
  files: string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): MissingVariable[] {
  const missing: MissingVariable[] = [];
  for (const file of files) {
    const absolute = path.resolve(cwd, file);
    if (!fs.existsSync(absolute)) continue; // the config loader reports it
    for (const ref of referencedVariables(fs.readFileSync(absolute, 'utf8'))) {
      if (env[ref.name] === undefined || env[ref.name] === '') {
        missing.push({ ...ref, file });
      }
    }
  }
  return missing;
}

export function describeMissing(missing: MissingVariable[]): string {
  const lines = missing.map(m => `  ${m.name} (${m.configPath} in ${m.file})`);
  return `Cannot start: required environment variable(s) not set:\n${lines.join(
    '\n',
  )}\nSet them (see docs/production-install.md) or remove the config that uses them.`;
}

/** Exits the process when a variable used by the `--config` files is unset. */
export function exitOnMissingVariables(argv = process.argv, env = process.env) {
  const missing = findMissingVariables(configFilesFromArgv(argv), env);
  if (missing.length > 0) {
    process.stderr.write(`${describeMissing(missing)}\n`);
    process.exit(78); // EX_CONFIG
  }
}
