import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  NO_LEVEL,
  ReadinessCheckResult,
  ReadinessLevel,
} from '@platform-portal/backstage-plugin-readiness-common';
import { ReadinessStore, utcDay } from '../database/ReadinessStore';
import { EntityEvaluation, StoredCheckResult } from '../database/rows';
import {
  computeLevel,
  interpretCheck,
  levelRank,
  unavailableChecks,
} from '../domain/interpret';
import { ReadinessCheck } from '../domain/types';
import {
  ChecksRunner,
  LevelDrop,
  LevelDropNotifier,
  ReadinessEntitySource,
  ReadinessService,
} from './types';

const DAY_MS = 24 * 3600 * 1000;

/** A stored result joined with its check's configuration. */
function toCheckResult(
  check: ReadinessCheck,
  stored: StoredCheckResult | undefined,
): ReadinessCheckResult {
  if (!stored) {
    return {
      ...interpretCheck(check, undefined),
      why: 'not evaluated yet (a check added since the last run)',
    };
  }
  return {
    id: check.id,
    name: check.name,
    description: check.description,
    level: check.level,
    category: check.category,
    result: stored.result,
    ...(stored.why ? { why: stored.why } : {}),
    fix: check.fix,
  };
}

export function createReadinessService(options: {
  store: ReadinessStore;
  entities: ReadinessEntitySource;
  runner: ChecksRunner;
  notifier?: LevelDropNotifier;
  levels: ReadinessLevel[];
  checks: ReadinessCheck[];
  historyDays: number;
  logger: LoggerService;
  /** The clock; tests pass their own. */
  now?: () => Date;
}): ReadinessService {
  const { store, levels, checks, logger } = options;
  const now = options.now ?? (() => new Date());
  const checkById = new Map(checks.map(c => [c.id, c]));

  return {
    async evaluate() {
      const started = Date.now();
      const at = now();
      const entities = await options.entities.listEntities();
      const answers = await options.runner.runChecks(
        entities.map(e => e.entityRef),
        checks.map(c => c.id),
      );
      const evaluations: EntityEvaluation[] = entities.map(entity => {
        const answer = answers.get(entity.entityRef);
        let results: ReadinessCheckResult[];
        if (answer && 'error' in answer) {
          results = unavailableChecks(checks, answer.error);
        } else {
          const byId = new Map(
            (answer?.results ?? []).map(r => [r.check.id, r]),
          );
          results = checks.map(c => interpretCheck(c, byId.get(c.id)));
        }
        return {
          ...entity,
          level: computeLevel(levels, results),
          failing: results.filter(r => r.result === 'fail').map(r => r.id),
          checks: results.map(r => ({
            id: r.id,
            result: r.result,
            ...(r.why ? { why: r.why } : {}),
          })),
          evaluatedAt: at,
        };
      });
      const previous = await store.replaceEvaluations(evaluations, at);

      const drops: LevelDrop[] = [];
      for (const [i, e] of evaluations.entries()) {
        if (!previous.has(e.entityRef)) continue; // first evaluation
        const from = previous.get(e.entityRef) ?? null;
        if (levelRank(levels, e.level) < levelRank(levels, from)) {
          drops.push({ entity: entities[i], from, to: e.level });
        }
      }
      if (drops.length > 0 && options.notifier) {
        await options.notifier.notifyDrops(drops);
      }
      await store.deleteHistoryBefore(
        utcDay(new Date(at.getTime() - options.historyDays * DAY_MS)),
      );

      const distribution: Record<string, number> = { [NO_LEVEL]: 0 };
      for (const level of levels) distribution[level.id] = 0;
      for (const e of evaluations) distribution[e.level ?? NO_LEVEL] += 1;
      const summary = {
        entities: evaluations.length,
        evaluatedAt: at.toISOString(),
        distribution,
        drops: drops.length,
        durationMs: Date.now() - started,
      };
      logger.info('Evaluated production readiness', summary);
      return summary;
    },

    async entity(entityRef) {
      const evaluation = await store.getEvaluation(entityRef);
      if (!evaluation) {
        throw new NotFoundError(
          `${entityRef} has not been evaluated for production readiness`,
        );
      }
      const stored = new Map(evaluation.checks.map(c => [c.id, c]));
      return {
        entityRef: evaluation.entityRef,
        level: evaluation.level,
        checks: checks.map(c => toCheckResult(c, stored.get(c.id))),
        evaluatedAt: evaluation.evaluatedAt.toISOString(),
      };
    },

    async overview() {
      const rows = await store.listOverview();
      const distribution: Record<string, number> = { [NO_LEVEL]: 0 };
      for (const level of levels) distribution[level.id] = 0;
      const failingCounts = new Map<string, number>();
      let latest = 0;
      const items = rows.map(row => {
        distribution[row.level ?? NO_LEVEL] =
          (distribution[row.level ?? NO_LEVEL] ?? 0) + 1;
        // checks removed from configuration since are not shown
        const failing = row.failing.filter(id => checkById.has(id));
        for (const id of failing) {
          failingCounts.set(id, (failingCounts.get(id) ?? 0) + 1);
        }
        latest = Math.max(latest, row.evaluatedAt.getTime());
        return {
          entityRef: row.entityRef,
          ...(row.title ? { title: row.title } : {}),
          ...(row.system ? { system: row.system } : {}),
          ...(row.owner ? { owner: row.owner } : {}),
          level: row.level,
          failing,
        };
      });
      const topFailing = [...failingCounts.entries()]
        .map(([checkId, count]) => ({
          checkId,
          name: checkById.get(checkId)!.name,
          count,
        }))
        .sort((a, b) => b.count - a.count || a.checkId.localeCompare(b.checkId))
        .slice(0, 10);
      return {
        levels,
        items,
        distribution,
        topFailing,
        evaluatedAt: latest ? new Date(latest).toISOString() : null,
      };
    },

    async trend(days) {
      const today = now();
      const dates: string[] = [];
      for (let i = days - 1; i >= 0; i--) {
        dates.push(utcDay(new Date(today.getTime() - i * DAY_MS)));
      }
      const rows = await store.countLevelsByDay(dates[0]);
      const byDay = new Map<string, Record<string, number>>();
      for (const row of rows) {
        const counts = byDay.get(row.day) ?? {};
        const key = row.level ?? NO_LEVEL;
        counts[key] = (counts[key] ?? 0) + row.count;
        byDay.set(row.day, counts);
      }
      return {
        days: dates.map(date => {
          const counts: Record<string, number> = { [NO_LEVEL]: 0 };
          for (const level of levels) counts[level.id] = 0;
          return { date, counts: { ...counts, ...byDay.get(date) } };
        }),
      };
    },
  };
}
