import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { parseCostModelConfig } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { createCostService } from './CostService';

const config = parseCostModelConfig({
  scenarios: [
    {
      id: 'one',
      servers: [
        { name: 'box', plan: 'X', monthlyUsd: 10, cpu: 1, memory: '1Gi' },
      ],
    },
  ],
});

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service' },
});

describe('createCostService', () => {
  it('runs one catalog query per cache period, shared by concurrent requests', async () => {
    let clock = 0;
    const loadComponents = jest.fn(async () => [component('a')]);
    const service = createCostService({
      config,
      loadComponents,
      logger: mockServices.logger.mock(),
      cacheMs: 60_000,
      now: () => clock,
    });
    await Promise.all([
      service.report(),
      service.report(),
      service.entity('component:default/a'),
    ]);
    expect(loadComponents).toHaveBeenCalledTimes(1);
    clock = 59_999;
    await service.report();
    expect(loadComponents).toHaveBeenCalledTimes(1);
    clock = 60_000;
    await service.report();
    expect(loadComponents).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed query', async () => {
    const loadComponents = jest
      .fn()
      .mockRejectedValueOnce(new Error('catalog down'))
      .mockResolvedValue([component('a')]);
    const service = createCostService({
      config,
      loadComponents,
      logger: mockServices.logger.mock(),
      cacheMs: 60_000,
    });
    await expect(service.report()).rejects.toThrow('catalog down');
    await expect(service.report()).resolves.toMatchObject({
      current: { totals: { services: 1 } },
    });
  });

  it('warns about unreadable annotations and reports them', async () => {
    const logger = mockServices.logger.mock();
    const broken = component('b');
    broken.metadata.annotations = { 'platform-portal.dev/memory': 'lots' };
    const service = createCostService({
      config,
      loadComponents: async () => [broken],
      logger,
      cacheMs: 0,
    });
    const report = await service.report();
    expect(report.warnings).toEqual([
      'component:default/b: platform-portal.dev/memory "lots" is not a memory quantity; used the default of type service',
    ]);
    expect(logger.warn).toHaveBeenCalled();
  });
});
