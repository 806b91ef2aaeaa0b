/**
 * Input rules shared by the actions. A name ends up in file paths, Terraform
 * identifiers, DNS labels, database names and Kubernetes objects, so it must
 * be safe in all of them: lowercase letters, digits and inner hyphens, at
 * most 40 characters (room for `-production` and a slot in a 63-character
 * label). Every error names the input that broke the rule.
 */
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { parseOrThrow } from '@platform-portal/backstage-plugin-platform-node';
import { z } from 'zod/v3';

/** At most this long, so that `<name>-production-green` stays a DNS label. */
export const MAX_NAME_LENGTH = 40;

const DNS_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** A domain such as `mana.how`: DNS labels and a top-level domain. */
export const DOMAIN = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;

/** The name, system and environments every action takes, each checked. */
export function assertServiceNames(input: {
  name: unknown;
  system?: unknown;
  environments: unknown[];
}): { name: string; system?: string; environments: string[] } {
  return {
    name: assertDnsName('name', input.name),
    system:
      input.system === undefined
        ? undefined
        : assertDnsName('system', input.system),
    environments: input.environments.map((env, i) =>
      assertDnsName(`environments[${i}]`, env),
    ),
  };
}

/** Throws unless `value` is a DNS-safe name; `field` is the input's name. */
export function assertDnsName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError(`${field} must be a non-empty string`);
  }
  if (value.length > MAX_NAME_LENGTH) {
    throw new InputError(
      `${field} is ${value.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`,
    );
  }
  if (value.includes('${{') || value.includes('{{') || value.includes('{%')) {
    throw new InputError(
      `${field} contains a template expression (${JSON.stringify(
        value,
      )}); names must be plain`,
    );
  }
  if (!DNS_NAME.test(value) || value.includes('--')) {
    throw new InputError(
      `${field} must be a DNS-safe name (lowercase letters, digits and single inner hyphens, starting with a letter), got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

/**
 * A directory inside the workspace: relative, without `..`, and resolved
 * through `resolveSafeChildPath` so that a symlink cannot lead outside.
 */
export function resolveWorkspacePath(
  workspacePath: string,
  field: string,
  relative: string,
): string {
  if (path.isAbsolute(relative) || /^[a-zA-Z]:[\\/]/.test(relative)) {
    throw new InputError(
      `${field} must be a path relative to the workspace, got ${JSON.stringify(
        relative,
      )}`,
    );
  }
  if (relative.split(/[\\/]/).includes('..')) {
    throw new InputError(
      `${field} must not contain '..', got ${JSON.stringify(relative)}`,
    );
  }
  try {
    return resolveSafeChildPath(workspacePath, relative);
  } catch {
    throw new InputError(
      `${field} resolves outside the workspace: ${JSON.stringify(relative)}`,
    );
  }
}

/** Writes files under `root` (paths relative to it); returns their paths. */
export async function writeFiles(
  root: string,
  files: Record<string, string>,
): Promise<string[]> {
  const written: string[] = [];
  for (const [relative, content] of Object.entries(files)) {
    const target = resolveSafeChildPath(root, relative);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, content, 'utf8');
    written.push(relative);
  }
  return written;
}

/** Throws if a path that the action would create already exists. */
export function assertNotExisting(
  root: string,
  field: string,
  relative: string,
): void {
  if (fs.existsSync(resolveSafeChildPath(root, relative))) {
    throw new InputError(
      `${field}: ${relative} already exists in the repository; choose another name`,
    );
  }
}

/**
 * Parses an action's input with its schema, so that defaults apply; errors
 * are the portal's one format, naming each field by its path
 * (`postgres.connectionLimit: Number must be less than or equal to 200`).
 */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
): z.output<S> {
  return parseOrThrow<z.output<S>>(schema, input);
}
