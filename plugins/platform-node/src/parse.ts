import { InputError } from '@backstage/errors';

/**
 * One validation problem, typed structurally so that this package works with
 * zod v3 and v4 (and any schema library with the same `safeParse` shape).
 *
 * @public
 */
export interface SchemaIssue {
  /** Where the problem is, e.g. `['events', 2, 'environment']`. */
  path: PropertyKey[];
  /** What is wrong, written for the caller. */
  message: string;
  /** zod's issue code, e.g. `unrecognized_keys`. */
  code?: string;
  /** The unknown keys of an `unrecognized_keys` issue. */
  keys?: string[];
}

/**
 * The part of a zod schema that {@link parseOrThrow} uses.
 *
 * @public
 */
export interface ParseableSchema<T> {
  /** Validates without throwing. */
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: SchemaIssue[] } };
}

/**
 * Writes a field path the way JavaScript reads it: `events[2].environment`,
 * `runs[0].sizeBytes`.
 *
 * @public
 */
export function formatIssuePath(path: PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const key = String(part);
      return index === 0 ? key : `.${key}`;
    })
    .join('');
}

/** `events[3]` + `version` is `events[3].version`; + `[0]` is `events[3][0]`. */
function joinPath(prefix: string, path: string): string {
  if (!prefix || !path) return prefix || path;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

/**
 * One line naming each bad field (at most five), e.g.
 * `events[2].environment: Required; events[2].version: must be an image tag`.
 * A problem with no path is reported against `body`, or `prefix` when given.
 *
 * @public
 */
export function describeIssues(issues: SchemaIssue[], prefix = ''): string {
  const shown = issues.slice(0, 5).map(issue => {
    const field = joinPath(prefix, formatIssuePath(issue.path));
    const keys =
      issue.code === 'unrecognized_keys' && issue.keys?.length
        ? ` (${issue.keys.join(', ')})`
        : '';
    return `${field || 'body'}: ${issue.message}${keys}`;
  });
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return `${shown.join('; ')}${more}`;
}

/**
 * Validates `value` with a zod schema and returns the parsed value; on
 * failure throws `InputError` (400) whose message names every bad field by
 * its path. Every API of the portal validates through this, so every client
 * sees one error format (an `InputError` body whose message is, for example,
 * `events[0].environment: Required`).
 *
 * `prefix` names where the value sits in a larger document, e.g. `events[3]`
 * for one event of a batch validated on its own, or `query` for a query string.
 *
 * @public
 */
export function parseOrThrow<T>(
  schema: ParseableSchema<T>,
  value: unknown,
  options?: { prefix?: string },
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(describeIssues(result.error.issues, options?.prefix));
  }
  return result.data;
}
