import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  computeCostReport,
  CostModelConfig,
  CostReport,
  EntityCostResponse,
  toCostService,
} from '@platform-portal/backstage-plugin-platform-deploy-common';

/** What the cost endpoints answer. */
export interface CostService {
  /** The whole report: current scenario and what-ifs. */
  report(): Promise<CostReport>;
  /** One component's cost in the current scenario. */
  entity(entityRef: string): Promise<EntityCostResponse>;
}

/**
 * Computes the report from the config and the catalog's Components. The
 * components come from one catalog query (`loadComponents`), reused for
 * `cacheMs`; concurrent requests share one query in flight.
 */
export function createCostService(options: {
  config: CostModelConfig;
  loadComponents: () => Promise<Entity[]>;
  logger: LoggerService;
  cacheMs: number;
  now?: () => number;
}): CostService {
  const { config, loadComponents, logger, cacheMs } = options;
  const now = options.now ?? Date.now;
  let cached: { at: number; report: Promise<CostReport> } | undefined;

  async function compute(): Promise<CostReport> {
    const components = await loadComponents();
    const warnings: string[] = [];
    const services = components.map(entity =>
      toCostService(entity, config.defaults, w => warnings.push(w)),
    );
    const result = computeCostReport(config, services, {
      now: new Date(now()),
      warnings,
    });
    if (warnings.length || result.current.unplaced.length) {
      logger.warn('Cost model: some components could not be costed fully', {
        warnings: warnings.length,
        unplaced: result.current.unplaced.join(', '),
      });
    }
    return result;
  }

  async function report(): Promise<CostReport> {
    if (!cached || now() - cached.at >= cacheMs) {
      const pending = compute();
      cached = { at: now(), report: pending };
      // A failed query is not cached: the next request tries again.
      pending.catch(() => {
        if (cached?.report === pending) cached = undefined;
      });
    }
    return cached.report;
  }

  return {
    report,
    async entity(entityRef) {
      const { current } = await report();
      const service = current.services.find(s => s.entityRef === entityRef);
      if (!service) {
        throw new NotFoundError(`No component ${entityRef} in the cost model`);
      }
      return {
        scenario: { id: current.id, title: current.title },
        totalMonthlyUsd: current.totals.monthlyUsd,
        service,
        targets: { perServiceUsd: config.targets.perServiceUsd },
      };
    },
  };
}
