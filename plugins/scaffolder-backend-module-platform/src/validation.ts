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
 * A relative path inside the workspace as the actions write it: POSIX
 * separators, no `..`, not absolute. `field` names the input it came from.
 */
function assertRelative(field: string, relative: string): string[] {
  if (path.isAbsolute(relative) || /^[a-zA-Z]:[\\/]/.test(relative)) {
    throw new InputError(
      `${field} must be a path relative to the workspace, got ${JSON.stringify(
        relative,
      )}`,
    );
  }
  const parts = relative.split(/[\\/]/).filter(p => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw new InputError(
      `${field} must not contain '..', got ${JSON.stringify(relative)}`,
    );
  }
  return parts;
}

function symlinkError(field: string, parts: string[]): InputError {
  return new InputError(
    `${field}: ${parts.join(
      '/',
    )} is a symbolic link; the portal's actions follow no links in a workspace`,
  );
}

/**
 * Checks every component of `relative` under the workspace root with
 * `lstat`, from the root down, and refuses a symbolic link anywhere: a
 * file linked outside (`kustomization.yaml -> /proc/self/environ`), a
 * linked directory (`apps -> ../elsewhere`) and a dangling link alike.
 * Components that do not exist yet end the walk (nothing below them can
 * be a link). Returns the absolute path and whether it exists.
 *
 * Every file our actions read, list or write in a workspace goes through
 * this (and `O_NOFOLLOW` on the open itself): workspaces hold checkouts of
 * repositories that any writer of the repository controls, and the
 * scaffolder's `resolveSafeChildPath` only keeps a link from leading
 * outside, not from being followed.
 */
export function inspectWorkspacePath(
  workspacePath: string,
  field: string,
  relative: string,
): { absolute: string; stats?: fs.Stats } {
  const parts = assertRelative(field, relative);
  let current = workspacePath;
  // The root is the scaffolder's own directory for the task.
  let stats: fs.Stats | undefined = fs.statSync(workspacePath);
  for (let i = 0; i < parts.length; i++) {
    current = path.join(current, parts[i]);
    stats = fs.lstatSync(current, { throwIfNoEntry: false });
    if (!stats) {
      return { absolute: path.join(workspacePath, ...parts) };
    }
    if (stats.isSymbolicLink())
      throw symlinkError(field, parts.slice(0, i + 1));
    if (i < parts.length - 1 && !stats.isDirectory()) {
      throw new InputError(
        `${field}: ${parts.slice(0, i + 1).join('/')} is not a directory`,
      );
    }
  }
  return { absolute: current, stats };
}

/**
 * A directory inside the workspace: relative, without `..`, no symbolic
 * link on the way (see {@link inspectWorkspacePath}). Returns its absolute
 * path, whether or not it exists yet.
 */
export function resolveWorkspacePath(
  workspacePath: string,
  field: string,
  relative: string,
): string {
  const { absolute, stats } = inspectWorkspacePath(
    workspacePath,
    field,
    relative,
  );
  if (stats && !stats.isDirectory()) {
    throw new InputError(
      `${field}: ${JSON.stringify(relative)} is not a directory`,
    );
  }
  return absolute;
}

const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Reads a regular file of the workspace (`relative` to its root), or
 * `undefined` when it does not exist. Refuses a symbolic link on any
 * component and anything that is not a regular file (a FIFO, a device); the
 * open itself is `O_NOFOLLOW`, so a link put in place after the check is
 * refused too.
 */
export function readWorkspaceFile(
  workspacePath: string,
  field: string,
  relative: string,
): string | undefined {
  const { absolute, stats } = inspectWorkspacePath(
    workspacePath,
    field,
    relative,
  );
  if (!stats) return undefined;
  if (!stats.isFile()) {
    throw new InputError(`${field}: ${relative} is not a regular file`);
  }
  let fd: number;
  try {
    fd = fs.openSync(absolute, fs.constants.O_RDONLY | NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw symlinkError(field, assertRelative(field, relative));
    }
    throw error;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) {
      throw new InputError(`${field}: ${relative} is not a regular file`);
    }
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a file of the workspace (`relative` to its root), creating its
 * directories one at a time; refuses a symbolic link on any component
 * (a dangling link included, which a plain write would follow and create
 * its target) and opens with `O_NOFOLLOW`.
 */
export async function writeWorkspaceFile(
  workspacePath: string,
  field: string,
  relative: string,
  content: string,
): Promise<void> {
  const parts = assertRelative(field, relative);
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    const { absolute, stats } = inspectWorkspacePath(workspacePath, field, dir);
    if (!stats) await fs.promises.mkdir(absolute).catch(ignoreExisting);
  }
  const { absolute, stats } = inspectWorkspacePath(
    workspacePath,
    field,
    relative,
  );
  if (stats && !stats.isFile()) {
    throw new InputError(`${field}: ${relative} is not a regular file`);
  }
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(
      absolute,
      fs.constants.O_WRONLY |
        fs.constants.O_CREAT |
        fs.constants.O_TRUNC |
        NOFOLLOW,
      0o644,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw symlinkError(field, parts);
    }
    throw error;
  }
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
}

function ignoreExisting(error: NodeJS.ErrnoException) {
  if (error.code !== 'EEXIST') throw error;
}

/**
 * The entries of a workspace directory (`relative` to its root), `[]` when
 * it does not exist; no symbolic link on the way to it.
 */
export function listWorkspaceDir(
  workspacePath: string,
  field: string,
  relative: string,
): fs.Dirent[] {
  const { absolute, stats } = inspectWorkspacePath(
    workspacePath,
    field,
    relative,
  );
  if (!stats) return [];
  if (!stats.isDirectory()) {
    throw new InputError(`${field}: ${relative} is not a directory`);
  }
  return fs.readdirSync(absolute, { withFileTypes: true });
}

/**
 * Every regular file under a workspace directory (paths relative to the
 * workspace root), depth first; a symbolic link anywhere in the tree is
 * refused, not skipped, so that nothing can be hidden behind one.
 */
export function walkWorkspaceFiles(
  workspacePath: string,
  field: string,
  relative: string,
): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const entry of listWorkspaceDir(workspacePath, field, dir)) {
      const child = path.posix.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        throw symlinkError(field, assertRelative(field, child));
      }
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  visit(relative);
  return files;
}

/**
 * Writes files under `root` (a directory of the workspace, paths relative
 * to the workspace root, as the renderers produce them); returns their
 * paths. No symbolic link is followed (see {@link writeWorkspaceFile}).
 */
export async function writeFiles(
  workspacePath: string,
  files: Record<string, string>,
  field = 'path',
): Promise<string[]> {
  // Every target checked before the first write, so that a refusal leaves
  // the workspace as it was.
  for (const relative of Object.keys(files)) {
    const { stats } = inspectWorkspacePath(workspacePath, field, relative);
    if (stats && !stats.isFile()) {
      throw new InputError(`${field}: ${relative} is not a regular file`);
    }
  }
  const written: string[] = [];
  for (const [relative, content] of Object.entries(files)) {
    await writeWorkspaceFile(workspacePath, field, relative, content);
    written.push(relative);
  }
  return written;
}

/**
 * Throws if a path that the action would create already exists: `relative`
 * to the checkout at `root` (the input `rootField`, relative to the
 * workspace root), named as the repository has it, against `field`; a
 * symbolic link on the way is refused against `rootField`.
 */
export function assertNotExisting(
  workspacePath: string,
  options: { root: string; rootField: string; field: string; relative: string },
): void {
  const { root, rootField, field, relative } = options;
  const target = path.posix.join(root, relative);
  if (inspectWorkspacePath(workspacePath, rootField, target).stats) {
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
