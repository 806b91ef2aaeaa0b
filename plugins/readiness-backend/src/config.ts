import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ReadinessLevel } from '@platform-portal/backstage-plugin-readiness-common';
import {
  describeIssues,
  readScheduleFromConfig,
  SchemaIssue,
} from '@platform-portal/backstage-plugin-platform-node';
import { z } from 'zod/v3';
import { ReadinessCheck } from './domain/types';

/** Where tech-insights' json-rules-engine checks are configured. */
export const CHECKS_KEY = 'techInsights.factChecker.checks';
export const LEVELS_KEY = 'readiness.levels';

/** Level ids: what check metadata names, the URLs and CSV carry. */
const ID = /^[a-z][a-z0-9-]{0,62}$/;

const levelsSchema = z
  .array(
    z
      .object({
        id: z.string().regex(ID, 'must be lower-case letters, digits and -'),
        title: z.string().min(1).max(100),
      })
      .strict(),
  )
  .min(1, 'must name at least one level, lowest first');

/** A fix is a page of the portal: a runbook in TechDocs or a template. */
const fixUrl = z
  .string()
  .regex(
    /^\/(docs|create\/templates)\/[A-Za-z0-9\-._~/#%]+$/,
    'must be a runbook (/docs/...) or template (/create/templates/...) path of the portal',
  );

const conditionsSchema = z
  .object({ all: z.array(z.unknown()).min(1) })
  .passthrough()
  .or(z.object({ any: z.array(z.unknown()).min(1) }).passthrough());

const checkSchema = z
  .object({
    type: z.literal('json-rules-engine', {
      errorMap: () => ({ message: "must be 'json-rules-engine'" }),
    }),
    name: z.string().min(1).max(200),
    description: z.string().min(1).max(1000),
    factIds: z.array(z.string().min(1)).min(1),
    rule: z.object({ conditions: conditionsSchema }).passthrough(),
    metadata: z
      .object({
        level: z.string(),
        category: z
          .string()
          .regex(ID, 'must be lower-case letters, digits and -'),
        // in metadata: jsonfc's config schema has no `links` for checks
        fix: z
          .object(
            { title: z.string().min(1), url: fixUrl },
            {
              required_error:
                'must link the runbook or template that fixes the check',
            },
          )
          .strict(),
      })
      .passthrough(),
  })
  .passthrough();

/** The plugin's configuration, validated. */
export interface ReadinessConfig {
  /** Empty, with `checks`, when neither key is configured: nothing is evaluated. */
  levels: ReadinessLevel[];
  checks: ReadinessCheck[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Days of per-entity history kept (the trend reaches back at most this far). */
  historyDays: number;
  /** Tell the owning team when a service drops a level. */
  notifyOnDrop: boolean;
}

function fail(issues: SchemaIssue[], prefix: string): never {
  throw new Error(
    `Invalid readiness configuration: ${describeIssues(issues, prefix)}`,
  );
}

/**
 * Reads the levels (`readiness.levels`, lowest first) and the checks
 * (`techInsights.factChecker.checks`, the same ones tech-insights runs) and
 * validates them together, so that the backend does not start with a check
 * that names no level, fixes nothing or cannot be run; the error names the
 * bad key (`techInsights.factChecker.checks.deploy-frequency.metadata.level:
 * 'platinum' is not a level of readiness.levels (bronze, silver, gold)`).
 */
export function readReadinessConfig(config: Config): ReadinessConfig {
  const schedule = readScheduleFromConfig(config, 'readiness.schedule', {
    frequency: { minutes: 30 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 2 },
  });
  const historyDays = config.getOptionalNumber('readiness.historyDays') ?? 400;
  const notifyOnDrop =
    config.getOptionalBoolean('readiness.notifications.enabled') ?? true;
  if (!config.has(LEVELS_KEY) && !config.has(CHECKS_KEY)) {
    // not set up: nothing to evaluate, the API answers that nothing was
    return { levels: [], checks: [], schedule, historyDays, notifyOnDrop };
  }
  const levelsResult = levelsSchema.safeParse(
    config.getOptional(LEVELS_KEY) ?? [],
  );
  if (!levelsResult.success) fail(levelsResult.error.issues, LEVELS_KEY);
  const levels = levelsResult.data;
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  levels.forEach((level, index) => {
    if (seen.has(level.id)) {
      issues.push({
        path: [index, 'id'],
        message: `${level.id} is listed twice`,
      });
    }
    seen.add(level.id);
  });
  if (issues.length) fail(issues, LEVELS_KEY);

  const raw = (config.getOptional(CHECKS_KEY) ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    fail(
      [{ path: [], message: 'must be an object of checks by id' }],
      CHECKS_KEY,
    );
  }
  const checks: ReadinessCheck[] = [];
  for (const [id, value] of Object.entries(raw)) {
    if (!ID.test(id)) {
      issues.push({
        path: [id],
        message: 'a check id must be lower-case letters, digits and -',
      });
      continue;
    }
    const parsed = checkSchema.safeParse(value);
    if (!parsed.success) {
      issues.push(
        ...parsed.error.issues.map(i => ({ ...i, path: [id, ...i.path] })),
      );
      continue;
    }
    const check = parsed.data;
    if (!seen.has(check.metadata.level)) {
      issues.push({
        path: [id, 'metadata', 'level'],
        message: `'${
          check.metadata.level
        }' is not a level of ${LEVELS_KEY} (${levels
          .map(l => l.id)
          .join(', ')})`,
      });
      continue;
    }
    checks.push({
      id,
      name: check.name,
      description: check.description,
      level: check.metadata.level,
      category: check.metadata.category,
      factIds: check.factIds,
      fix: check.metadata.fix,
    });
  }
  if (issues.length) fail(issues, CHECKS_KEY);
  if (checks.length === 0) {
    fail([{ path: [], message: 'no check is configured' }], CHECKS_KEY);
  }
  const empty = levels.findIndex(l => !checks.some(c => c.level === l.id));
  if (empty >= 0) {
    fail(
      [
        {
          path: [empty],
          message: `no check of ${CHECKS_KEY} has metadata.level ${levels[empty].id}`,
        },
      ],
      LEVELS_KEY,
    );
  }

  return {
    levels,
    checks,
    schedule: readScheduleFromConfig(config, 'readiness.schedule', {
      frequency: { minutes: 30 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 2 },
    }),
    historyDays: config.getOptionalNumber('readiness.historyDays') ?? 400,
    notifyOnDrop:
      config.getOptionalBoolean('readiness.notifications.enabled') ?? true,
  };
}
