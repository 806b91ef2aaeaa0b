import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  UPTIME_WINDOWS_DAYS,
  UptimeWindow,
} from '@platform-portal/backstage-plugin-health-common';

/** Uptime (0..1) of every service over a window, keyed by the service label's value. */
export interface UptimeSource {
  /** Identifies the source in cache keys ('prometheus', 'demo'). */
  readonly id: string;
  uptimeByService(windowDays: number): Promise<Record<string, number>>;
}

/**
 * The estate's uptime, one query per window for every service, kept in the
 * cache service (shared by the replicas) for `ttlSeconds`. Concurrent misses
 * in this process share one query.
 */
export class CachedUptime {
  private readonly inFlight = new Map<
    number,
    Promise<Record<string, number>>
  >();

  constructor(
    private readonly options: {
      source: UptimeSource;
      cache: CacheService;
      ttlSeconds: number;
      logger: LoggerService;
    },
  ) {}

  async byService(windowDays: number): Promise<Record<string, number>> {
    const key = `uptime:${this.options.source.id}:${windowDays}d`;
    const cached = await this.options.cache.get<Record<string, number>>(key);
    if (cached) return cached;
    let pending = this.inFlight.get(windowDays);
    if (!pending) {
      pending = (async () => {
        const started = Date.now();
        const values = await this.options.source.uptimeByService(windowDays);
        this.options.logger.debug(
          `Uptime over ${windowDays} days of ${
            Object.keys(values).length
          } services in ${Date.now() - started} ms`,
        );
        await this.options.cache.set(key, values, {
          ttl: this.options.ttlSeconds * 1000,
        });
        return values;
      })().finally(() => this.inFlight.delete(windowDays));
      this.inFlight.set(windowDays, pending);
    }
    return pending;
  }

  /** Forgets the cached figures (after the demo feed changed them). */
  async clear(): Promise<void> {
    for (const days of UPTIME_WINDOWS_DAYS) {
      await this.options.cache.delete(
        `uptime:${this.options.source.id}:${days}d`,
      );
    }
  }

  /** Every window for every service. */
  async all(): Promise<Record<number, Record<string, number>>> {
    const entries = await Promise.all(
      UPTIME_WINDOWS_DAYS.map(
        async days => [days, await this.byService(days)] as const,
      ),
    );
    return Object.fromEntries(entries);
  }
}

/**
 * One window's figures against the objective: the error budget is the
 * downtime the objective allows ((1 − objective) × window); what is left is
 * 1 − downtime / budget, below 0 once it is overspent.
 */
export function uptimeWindow(
  days: number,
  uptime: number | undefined,
  objective: number,
): UptimeWindow {
  const windowSeconds = days * 86400;
  const budgetSeconds = Math.round((1 - objective) * windowSeconds);
  if (uptime === undefined) {
    return { days, objective, errorBudgetSeconds: budgetSeconds };
  }
  const downtimeSeconds = Math.round((1 - uptime) * windowSeconds);
  return {
    days,
    objective,
    uptime,
    meetsObjective: uptime >= objective,
    errorBudgetSeconds: budgetSeconds,
    downtimeSeconds,
    errorBudgetRemaining:
      Math.round((1 - (1 - uptime) / (1 - objective)) * 10000) / 10000,
  };
}

/** Prometheus: the configured query with `$window` as the range (e.g. `30d`). */
export function prometheusUptimeSource(options: {
  client: {
    vectorBy(query: string, label: string): Promise<Map<string, number>>;
  };
  query: string;
  label: string;
}): UptimeSource {
  return {
    id: 'prometheus',
    async uptimeByService(windowDays) {
      const query = options.query.split('$window').join(`${windowDays}d`);
      return Object.fromEntries(
        await options.client.vectorBy(query, options.label),
      );
    },
  };
}
