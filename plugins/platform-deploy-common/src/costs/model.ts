import {
  CostModelConfig,
  CostReport,
  CostScenarioConfig,
  CostServerConfig,
  CostServiceInput,
  CostTargetStatus,
  Resources,
  ScenarioCost,
  ServerCost,
  ServiceCost,
  SystemCost,
} from './types';

/** Sum of allocations, e.g. of every instance on a server. @public */
export function sumResources(items: Resources[]): Resources {
  return items.reduce(
    (sum, r) => ({
      cpu: sum.cpu + r.cpu,
      memoryMiB: sum.memoryMiB + r.memoryMiB,
    }),
    { cpu: 0, memoryMiB: 0 },
  );
}

function runsOnServers(service: CostServiceInput): boolean {
  return service.allocation.cpu > 0 || service.allocation.memoryMiB > 0;
}

function names(server: CostServerConfig, service: CostServiceInput): boolean {
  return Boolean(
    (service.system && server.systems?.includes(service.system)) ||
      server.components?.includes(service.name) ||
      server.components?.includes(service.entityRef),
  );
}

function isCatchAll(server: CostServerConfig): boolean {
  return !server.systems?.length && !server.components?.length;
}

/**
 * The servers that host one instance of the service, each with the
 * environment of that instance: the servers that name its system or the
 * component itself, or else the catch-all servers; a server with an
 * `environment` hosts it only if the service is deployed there.
 *
 * @public
 */
export function placeService(
  servers: CostServerConfig[],
  service: CostServiceInput,
): CostServerConfig[] {
  if (!runsOnServers(service)) return [];
  const named = servers.filter(s => names(s, service));
  const candidates = named.length ? named : servers.filter(isCatchAll);
  return candidates.filter(
    s =>
      !s.environment ||
      !service.environments ||
      service.environments.includes(s.environment),
  );
}

/**
 * How a server's price is shared: the CPU part (price × weights.cpu) in
 * proportion to CPU allocated against the server's capacity, the memory part
 * likewise. An overcommitted resource is shared against what is allocated
 * instead, so that the whole part, and never more, is allocated.
 */
function serverRates(
  server: CostServerConfig,
  allocated: Resources,
  weights: CostModelConfig['weights'],
) {
  const cpuBase = Math.max(server.capacity.cpu, allocated.cpu);
  const memoryBase = Math.max(server.capacity.memoryMiB, allocated.memoryMiB);
  return {
    perCpu: cpuBase > 0 ? (server.monthlyUsd * weights.cpu) / cpuBase : 0,
    perMiB:
      memoryBase > 0 ? (server.monthlyUsd * weights.memory) / memoryBase : 0,
  };
}

function ratio(part: number, whole: number): number {
  if (whole > 0) return part / whole;
  return part > 0 ? Infinity : 0;
}

/** The cost of the estate on one scenario's servers. @public */
export function computeScenarioCost(
  config: CostModelConfig,
  scenario: CostScenarioConfig,
  services: CostServiceInput[],
): ScenarioCost {
  const placements = new Map(
    services.map(s => [s.entityRef, placeService(scenario.servers, s)]),
  );

  const servers: ServerCost[] = scenario.servers.map(server => {
    const hosted = services.filter(s =>
      placements.get(s.entityRef)!.includes(server),
    );
    const allocated = sumResources(hosted.map(s => s.allocation));
    const rates = serverRates(server, allocated, config.weights);
    const allocatedUsd =
      rates.perCpu * allocated.cpu + rates.perMiB * allocated.memoryMiB;
    const overcommitted: ServerCost['overcommitted'] = [];
    if (allocated.cpu > server.capacity.cpu) overcommitted.push('cpu');
    if (allocated.memoryMiB > server.capacity.memoryMiB) {
      overcommitted.push('memory');
    }
    return {
      name: server.name,
      entityRef: `resource:default/${server.name}`,
      plan: server.plan,
      environment: server.environment,
      monthlyUsd: server.monthlyUsd,
      capacity: server.capacity,
      allocated,
      headroom: {
        cpu: server.capacity.cpu - allocated.cpu,
        memoryMiB: server.capacity.memoryMiB - allocated.memoryMiB,
      },
      utilisation: {
        cpu: ratio(allocated.cpu, server.capacity.cpu),
        memory: ratio(allocated.memoryMiB, server.capacity.memoryMiB),
      },
      overcommitted,
      instances: hosted.length,
      allocatedUsd,
      unallocatedUsd: server.monthlyUsd - allocatedUsd,
    };
  });

  const rateByServer = new Map(
    scenario.servers.map((server, i) => [
      server.name,
      serverRates(server, servers[i].allocated, config.weights),
    ]),
  );

  const serversUsd = servers.reduce((sum, s) => sum + s.monthlyUsd, 0);
  const fixedUsd = config.fixedCosts.reduce((sum, f) => sum + f.monthlyUsd, 0);
  const monthlyUsd = serversUsd + fixedUsd;

  const serviceCosts: ServiceCost[] = services.map(service => {
    const instances = placements.get(service.entityRef)!.map(server => {
      const rates = rateByServer.get(server.name)!;
      return {
        server: server.name,
        environment: server.environment,
        monthlyUsd:
          rates.perCpu * service.allocation.cpu +
          rates.perMiB * service.allocation.memoryMiB,
      };
    });
    const cost = instances.reduce((sum, i) => sum + i.monthlyUsd, 0);
    return {
      entityRef: service.entityRef,
      name: service.name,
      title: service.title,
      system: service.system,
      type: service.type,
      allocation: service.allocation,
      allocationSource: service.allocationSource,
      instances,
      monthlyUsd: cost,
      shareOfTotal: ratio(cost, monthlyUsd),
    };
  });
  serviceCosts.sort(
    (a, b) => b.monthlyUsd - a.monthlyUsd || a.name.localeCompare(b.name),
  );

  const bySystem = new Map<string, SystemCost>();
  for (const service of serviceCosts) {
    const system = service.system ?? '(no system)';
    const entry = bySystem.get(system) ?? {
      system,
      services: 0,
      monthlyUsd: 0,
      shareOfTotal: 0,
    };
    entry.services += 1;
    entry.monthlyUsd += service.monthlyUsd;
    entry.shareOfTotal = ratio(entry.monthlyUsd, monthlyUsd);
    bySystem.set(system, entry);
  }
  const systems = [...bySystem.values()].sort(
    (a, b) => b.monthlyUsd - a.monthlyUsd || a.system.localeCompare(b.system),
  );

  const allocatedUsd = servers.reduce((sum, s) => sum + s.allocatedUsd, 0);
  const perServiceAverageUsd = ratio(monthlyUsd, services.length);
  const mostExpensive = serviceCosts[0];
  const targets: CostTargetStatus[] = [
    {
      id: 'monthly-total',
      label: 'Infrastructure per month',
      value: monthlyUsd,
      limit: config.targets.monthlyTotalUsd,
      met: monthlyUsd < config.targets.monthlyTotalUsd,
    },
    {
      id: 'per-service-average',
      label: 'Cost per service (average, all included)',
      value: perServiceAverageUsd,
      limit: config.targets.perServiceUsd,
      met: perServiceAverageUsd < config.targets.perServiceUsd,
    },
    {
      id: 'per-service-max',
      label: 'Most expensive service',
      value: mostExpensive?.monthlyUsd ?? 0,
      limit: config.targets.perServiceUsd,
      met: (mostExpensive?.monthlyUsd ?? 0) < config.targets.perServiceUsd,
      entityRef: mostExpensive?.entityRef,
    },
  ];

  return {
    id: scenario.id,
    title: scenario.title,
    totals: {
      monthlyUsd,
      serversUsd,
      fixedUsd,
      allocatedUsd,
      unallocatedUsd: serversUsd - allocatedUsd,
      services: services.length,
      perServiceAverageUsd,
      allocated: sumResources(servers.map(s => s.allocated)),
      capacity: sumResources(servers.map(s => s.capacity)),
    },
    servers,
    fixedCosts: config.fixedCosts,
    systems,
    services: serviceCosts,
    targets,
    unplaced: services
      .filter(
        s => runsOnServers(s) && placements.get(s.entityRef)!.length === 0,
      )
      .map(s => s.entityRef),
  };
}

/**
 * The whole report: the current scenario and every other scenario as a
 * what-if, all from the same services and the same rules.
 *
 * @public
 */
export function computeCostReport(
  config: CostModelConfig,
  services: CostServiceInput[],
  options: { now?: Date; warnings?: string[] } = {},
): CostReport {
  const current = config.scenarios.find(s => s.id === config.current);
  if (!current) {
    throw new Error(`No cost scenario with id ${config.current}`);
  }
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    currency: 'USD',
    weights: config.weights,
    current: computeScenarioCost(config, current, services),
    whatIf: config.scenarios
      .filter(s => s !== current)
      .map(s => computeScenarioCost(config, s, services)),
    warnings: options.warnings ?? [],
  };
}
