import {
  ReadinessCheckResult,
  ReadinessLevel,
  ReadinessResult,
} from '@platform-portal/backstage-plugin-readiness-common';
import { ReadinessCheck } from './types';

/** What tech-insights' json-rules-engine fact checker answers for one check. */
export interface TechInsightsCheckResult {
  result: boolean;
  /** The facts the rule read, by name, with their values. */
  facts?: Record<string, { value?: unknown } | undefined>;
  check: {
    id: string;
    /** The evaluated rule: leaves carry `factResult` and `result`. */
    rule?: { conditions?: unknown };
  };
}

/** A leaf condition of an evaluated rule. */
interface Leaf {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  name?: string;
  factResult?: unknown;
  result?: boolean;
}

const OPERATORS: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'in',
  notIn: 'not in',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

function leaves(condition: unknown): Leaf[] {
  if (!condition || typeof condition !== 'object') return [];
  const c = condition as Record<string, unknown>;
  for (const key of ['all', 'any']) {
    if (Array.isArray(c[key])) return (c[key] as unknown[]).flatMap(leaves);
  }
  if (c.not) return leaves(c.not);
  return typeof c.fact === 'string' ? [c as unknown as Leaf] : [];
}

/** `$.successRate` → `successRate`; the key of a figure in its fact's `notes`. */
const keyOf = (leaf: Leaf) => leaf.path?.replace(/^\$\.?/, '') || leaf.fact;

const format = (value: unknown): string => {
  if (typeof value === 'number') {
    return String(Math.round(value * 100) / 100);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One check's result for one entity, from what tech-insights answered:
 *
 * - no answer: tech-insights had no facts of the check's retrievers for the
 *   entity and skipped the rule: `no-data`;
 * - a fact the rule read says `applicable: false` (a component with nothing
 *   to back up): `not-applicable`, with the fact's `reason`;
 * - the rule passed: `pass`;
 * - it failed only on figures the facts have no value for (`null`, e.g. a
 *   success rate without deploys): `no-data`; otherwise `fail`. The reason
 *   names each failing figure: the fact's note about it when it has one,
 *   else its value against the target (`p90DeployMinutes is 14.2, target < 10`).
 */
export function interpretCheck(
  check: ReadinessCheck,
  answer: TechInsightsCheckResult | undefined,
): ReadinessCheckResult {
  const base = {
    id: check.id,
    name: check.name,
    description: check.description,
    level: check.level,
    category: check.category,
    fix: check.fix,
  };
  const result = (r: ReadinessResult, why?: string): ReadinessCheckResult => ({
    ...base,
    result: r,
    ...(why ? { why } : {}),
  });
  if (!answer) {
    return result(
      'no-data',
      `no ${check.factIds.join(', ')} facts about this entity yet`,
    );
  }
  const values = new Map<string, unknown>(
    Object.entries(answer.facts ?? {}).map(([name, f]) => [name, f?.value]),
  );
  for (const value of values.values()) {
    if (isObject(value) && value.applicable === false) {
      return result(
        'not-applicable',
        typeof value.reason === 'string' ? value.reason : undefined,
      );
    }
  }
  if (answer.result) return result('pass');

  const failing = leaves(answer.check.rule?.conditions).filter(
    l => l.result === false,
  );
  const noteOf = (leaf: Leaf): string | undefined => {
    const fact = values.get(leaf.fact);
    const notes = isObject(fact) && isObject(fact.notes) ? fact.notes : {};
    const note = notes[keyOf(leaf)];
    return typeof note === 'string' ? note : undefined;
  };
  const missing = (leaf: Leaf) =>
    leaf.factResult === null || leaf.factResult === undefined;
  const describe = (leaf: Leaf) => {
    const note = noteOf(leaf);
    if (note) return note;
    const label = leaf.name ?? keyOf(leaf);
    if (missing(leaf)) return `${label}: no data`;
    return `${label} is ${format(leaf.factResult)}, target ${
      OPERATORS[leaf.operator] ?? leaf.operator
    } ${format(leaf.value)}`;
  };
  const why = [...new Set(failing.map(describe))].join('; ') || undefined;
  if (failing.length > 0 && failing.every(missing)) {
    return result('no-data', why);
  }
  return result('fail', why);
}

/** Every configured check's result for an entity the checks could not run for. */
export function unavailableChecks(
  checks: ReadinessCheck[],
  message: string,
): ReadinessCheckResult[] {
  return checks.map(check => ({
    ...interpretCheck(check, undefined),
    why: `the checks could not run: ${message}`,
  }));
}

/**
 * The highest level whose checks, and those of every lower level, all pass
 * or do not apply; null when the lowest level already has one that fails or
 * has no data.
 */
export function computeLevel(
  levels: ReadinessLevel[],
  results: ReadinessCheckResult[],
): string | null {
  let reached: string | null = null;
  for (const level of levels) {
    const ok = results
      .filter(r => r.level === level.id)
      .every(r => r.result === 'pass' || r.result === 'not-applicable');
    if (!ok) break;
    reached = level.id;
  }
  return reached;
}

/** The rank of a level (0 = lowest), -1 for none: what "dropped a level" compares. */
export function levelRank(levels: ReadinessLevel[], level: string | null) {
  return level === null ? -1 : levels.findIndex(l => l.id === level);
}
