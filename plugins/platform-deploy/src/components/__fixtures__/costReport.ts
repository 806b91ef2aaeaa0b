import {
  computeCostReport,
  CostServiceInput,
  parseCostModelConfig,
} from '@platform-portal/backstage-plugin-platform-deploy-common';

/** A real report from the cost model of -common, on a small estate. */
export const costConfig = parseCostModelConfig({
  current: 'one-box',
  fixedCosts: [
    { name: 'Domains', monthlyUsd: 1 },
    { name: 'CDN', monthlyUsd: 0, note: 'free tier' },
  ],
  scenarios: [
    {
      id: 'one-box',
      title: 'One box',
      servers: [
        { name: 'box', plan: 'CCX13', monthlyUsd: 40, cpu: 2, memory: '8Gi' },
      ],
    },
    {
      id: 'split',
      title: 'Two boxes',
      servers: [
        {
          name: 'stage',
          plan: 'CX22',
          monthlyUsd: 20,
          cpu: 2,
          memory: '4Gi',
          environment: 'staging',
        },
        {
          name: 'prod',
          plan: 'CCX23',
          monthlyUsd: 100,
          cpu: 4,
          memory: '16Gi',
          environment: 'production',
        },
      ],
    },
  ],
});

const service = (
  name: string,
  cpu: number,
  memoryMiB: number,
  extra: Partial<CostServiceInput> = {},
): CostServiceInput => ({
  entityRef: `component:default/${name}`,
  name,
  system: 'shop',
  type: 'service',
  environments: ['staging', 'production'],
  allocation: { cpu, memoryMiB },
  allocationSource: 'annotations',
  ...extra,
});

export const costServices = [
  service('shop-backend', 2, 2048),
  service('shop-web', 0.5, 512, {
    type: 'website',
    allocationSource: 'default',
  }),
  service('shop-mobile', 0, 0, {
    type: 'mobile-app',
    allocationSource: 'none',
    environments: ['production'],
  }),
  service('grafana', 0.5, 1024, {
    system: 'observability',
    type: 'observability',
  }),
];

export const costReport = computeCostReport(costConfig, costServices, {
  now: new Date('2026-11-23T10:00:00Z'),
});
