/**
 * The estimated monthly cost of what a pull request adds, from the same cost
 * model as /platform/costs (`platformDeploy.costs`): a service's allocation
 * priced as its share of the servers of the current scenario, per
 * environment. Databases, Redis users and DNS records live on shared
 * servers or free tiers and add no allocation of their own; bucket storage is
 * billed by use and is named but not priced.
 */
import {
  computeScenarioCost,
  CostModelConfig,
  Resources,
} from '@platform-portal/backstage-plugin-platform-deploy-common';

/** @public */
export type CostEstimate = {
  monthlyUsd: number;
  /** Lines for the pull request body, one per priced or named item. */
  lines: string[];
  scenario?: string;
};

export function estimateMonthlyCost(
  model: CostModelConfig | undefined,
  request: {
    name: string;
    system?: string;
    type?: string;
    allocation?: Resources;
    environments: string[];
    shared: string[];
  },
): CostEstimate {
  const shared = request.shared.map(
    item =>
      `${item}: on shared servers or a free tier, no allocation of its own ($0.00)`,
  );
  if (!model) {
    return {
      monthlyUsd: 0,
      lines: [
        'No cost model is configured (platformDeploy.costs); nothing priced.',
        ...shared,
      ],
    };
  }
  const allocation =
    request.allocation ??
    (request.type ? model.defaults[request.type] : undefined);
  if (!allocation) {
    return { monthlyUsd: 0, lines: shared, scenario: model.current };
  }
  const scenario = model.scenarios.find(s => s.id === model.current)!;
  const cost = computeScenarioCost(model, scenario, [
    {
      entityRef: `component:default/${request.name}`,
      name: request.name,
      system: request.system,
      type: request.type,
      environments: request.environments,
      allocation,
      allocationSource: request.allocation ? 'annotations' : 'default',
    },
  ]);
  const service = cost.services[0];
  const lines = service.instances.map(
    instance =>
      `${request.name}${
        instance.environment ? ` (${instance.environment})` : ''
      }: ${allocation.cpu} CPU / ${allocation.memoryMiB} MiB on ${
        instance.server
      }: $${instance.monthlyUsd.toFixed(2)}`,
  );
  return {
    monthlyUsd: Math.round(service.monthlyUsd * 100) / 100,
    lines: [...lines, ...shared],
    scenario: scenario.id,
  };
}
