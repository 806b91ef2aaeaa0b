import { Entity } from '@backstage/catalog-model';
import type { ZodError } from 'zod/v3';
import { parseCostModelConfig } from './config';
import { computeCostReport, computeScenarioCost, placeService } from './model';
import { formatMemoryMiB, parseCpu, parseMemoryMiB } from './quantities';
import { toCostService } from './services';
import { CostServiceInput } from './types';

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
  allocation: { cpu, memoryMiB },
  allocationSource: 'annotations',
  ...extra,
});

const config = parseCostModelConfig({
  scenarios: [
    {
      id: 'one',
      servers: [
        { name: 'box', plan: 'X', monthlyUsd: 40, cpu: 4, memory: '8Gi' },
      ],
    },
    {
      id: 'split',
      title: 'Split',
      servers: [
        {
          name: 'mon',
          plan: 'S',
          monthlyUsd: 10,
          cpu: 2,
          memory: '4Gi',
          systems: ['obs'],
        },
        {
          name: 'stage',
          plan: 'S',
          monthlyUsd: 20,
          cpu: 2,
          memory: '4Gi',
          environment: 'staging',
        },
        {
          name: 'prod',
          plan: 'L',
          monthlyUsd: 60,
          cpu: 8,
          memory: '16Gi',
          environment: 'production',
        },
      ],
    },
  ],
  fixedCosts: [{ name: 'Domain', monthlyUsd: 2 }],
});

describe('quantities', () => {
  it('reads CPU and memory as the annotations write them', () => {
    expect(parseCpu('0.5')).toBe(0.5);
    expect(parseCpu('250m')).toBe(0.25);
    expect(parseCpu(2)).toBe(2);
    expect(parseCpu('half')).toBeUndefined();
    expect(parseCpu(-1)).toBeUndefined();
    expect(parseMemoryMiB('512Mi')).toBe(512);
    expect(parseMemoryMiB('2Gi')).toBe(2048);
    expect(parseMemoryMiB('1G')).toBeCloseTo(953.67, 2);
    expect(parseMemoryMiB(1048576)).toBe(1);
    expect(parseMemoryMiB('512 MB')).toBeUndefined();
    expect(parseMemoryMiB('lots')).toBeUndefined();
    expect(formatMemoryMiB(11520)).toBe('11.25 GB');
    expect(formatMemoryMiB(256)).toBe('256 MB');
  });
});

describe('parseCostModelConfig', () => {
  it("fills in the defaults: first scenario current, half and half, the estate's targets", () => {
    expect(config.current).toBe('one');
    expect(config.weights).toEqual({ cpu: 0.5, memory: 0.5 });
    expect(config.targets).toEqual({ monthlyTotalUsd: 100, perServiceUsd: 5 });
    expect(config.defaults.service).toEqual({ cpu: 0.5, memoryMiB: 512 });
    expect(config.scenarios[0].title).toBe('one');
    expect(config.scenarios[0].servers[0].capacity).toEqual({
      cpu: 4,
      memoryMiB: 8192,
    });
  });

  it("refuses a bad section with zod's issues, each at its path (readCostsConfig of platform-deploy-node words them)", () => {
    const server = {
      name: 'a',
      plan: 'X',
      monthlyUsd: 1,
      cpu: 1,
      memory: '1Gi',
    };
    const issues = (raw: unknown) => {
      try {
        parseCostModelConfig(raw);
      } catch (error) {
        return (error as ZodError).issues.map(i => [i.path, i.message]);
      }
      throw new Error('parseCostModelConfig accepted an invalid section');
    };
    expect(issues({})).toEqual([[['scenarios'], 'Required']]);
    expect(
      issues({
        scenarios: [{ id: 's', servers: [{ ...server, memory: '1 GB' }] }],
      }),
    ).toEqual([
      [
        ['scenarios', 0, 'servers', 0, 'memory'],
        'must be a memory quantity such as 512Mi or 32Gi, got "1 GB"',
      ],
    ]);
    expect(
      issues({
        scenarios: [{ id: 's', servers: [server] }],
        weights: { cpu: 0.7, memory: 0.7 },
      }),
    ).toEqual([[['weights'], 'cpu + memory must add up to 1']]);
    expect(
      issues({
        current: 'x',
        scenarios: [{ id: 's', servers: [server] }],
      }),
    ).toEqual([[['current'], 'must be one of the scenario ids (s)']]);
    expect(
      issues({
        scenarios: [{ id: 's', servers: [server, server] }],
      }),
    ).toEqual([[['scenarios', 0, 'servers', 1, 'name'], 'duplicate server a']]);
    expect(
      issues({
        scenarios: [{ id: 's', servers: [{ ...server, monthlyUsd: -5 }] }],
      }),
    ).toEqual([
      [
        ['scenarios', 0, 'servers', 0, 'monthlyUsd'],
        'Number must be greater than or equal to 0',
      ],
    ]);
  });
});

describe('toCostService', () => {
  const entity = (
    annotations: Record<string, string>,
    type = 'service',
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'api', annotations },
    spec: { type, system: 'system:default/shop', owner: 'team' },
  });

  it('reads the annotations, the environments and the system name', () => {
    expect(
      toCostService(
        entity({
          'platform-portal.dev/cpu': '0.75',
          'platform-portal.dev/memory': '1Gi',
          'platform-portal.dev/environments': 'staging, production',
        }),
        config.defaults,
      ),
    ).toEqual({
      entityRef: 'component:default/api',
      name: 'api',
      title: undefined,
      system: 'shop',
      type: 'service',
      environments: ['staging', 'production'],
      allocation: { cpu: 0.75, memoryMiB: 1024 },
      allocationSource: 'annotations',
    });
  });

  it("falls back to the type's default, and says so when an annotation is unreadable", () => {
    const warnings: string[] = [];
    const s = toCostService(
      entity({ 'platform-portal.dev/cpu': 'lots' }),
      config.defaults,
      w => warnings.push(w),
    );
    expect(s.allocation).toEqual({ cpu: 0.5, memoryMiB: 512 });
    expect(s.allocationSource).toBe('default');
    expect(warnings).toEqual([
      'component:default/api: platform-portal.dev/cpu "lots" is not a CPU quantity; used the default of type service',
    ]);
    const mobile = toCostService(entity({}, 'mobile-app'), config.defaults);
    expect(mobile.allocation).toEqual({ cpu: 0, memoryMiB: 0 });
    expect(mobile.allocationSource).toBe('none');
  });
});

describe('computeScenarioCost', () => {
  it('shares a server by allocation against capacity and leaves the rest unallocated', () => {
    // 1 of 4 CPU, 2 of 8 GB: a quarter of each $20 half.
    const result = computeScenarioCost(config, config.scenarios[0], [
      service('api', 1, 2048),
    ]);
    expect(result.services[0].monthlyUsd).toBe(10);
    expect(result.servers[0].allocatedUsd).toBe(10);
    expect(result.servers[0].unallocatedUsd).toBe(30);
    expect(result.servers[0].headroom).toEqual({ cpu: 3, memoryMiB: 6144 });
    expect(result.servers[0].utilisation).toEqual({ cpu: 0.25, memory: 0.25 });
    expect(result.totals.monthlyUsd).toBe(42);
    expect(result.services[0].shareOfTotal).toBeCloseTo(10 / 42, 10);
  });

  it('never allocates more than the price when a resource is overcommitted', () => {
    // 6 CPU on 4: the CPU half ($20) is shared by 6; memory 1 of 8 GB.
    const result = computeScenarioCost(config, config.scenarios[0], [
      service('a', 4, 512),
      service('b', 2, 512),
    ]);
    const [a, b] = result.services;
    expect(a.monthlyUsd).toBeCloseTo((20 * 4) / 6 + (20 * 512) / 8192, 10);
    expect(b.monthlyUsd).toBeCloseTo((20 * 2) / 6 + (20 * 512) / 8192, 10);
    expect(result.servers[0].overcommitted).toEqual(['cpu']);
    expect(result.servers[0].headroom.cpu).toBe(-2);
    expect(result.servers[0].allocatedUsd).toBeCloseTo(20 + 2.5, 10);
    expect(result.totals.unallocatedUsd).toBeCloseTo(17.5, 10);
  });

  it('places services by system, then by environment on the catch-all servers', () => {
    const split = config.scenarios[1];
    const web = service('web', 1, 1024, {
      environments: ['staging', 'production'],
    });
    const onlyProd = service('job', 1, 1024, { environments: ['production'] });
    const grafana = service('grafana', 0.5, 512, {
      system: 'obs',
      environments: ['staging', 'production'],
    });
    const app = service('app', 0, 0, {
      type: 'mobile-app',
      allocationSource: 'none',
    });
    expect(placeService(split.servers, web).map(s => s.name)).toEqual([
      'stage',
      'prod',
    ]);
    expect(placeService(split.servers, onlyProd).map(s => s.name)).toEqual([
      'prod',
    ]);
    expect(placeService(split.servers, grafana).map(s => s.name)).toEqual([
      'mon',
    ]);
    expect(placeService(split.servers, app)).toEqual([]);

    const result = computeScenarioCost(config, split, [
      web,
      onlyProd,
      grafana,
      app,
    ]);
    const cost = (name: string) => result.services.find(s => s.name === name)!;
    expect(cost('web').instances.map(i => i.environment)).toEqual([
      'staging',
      'production',
    ]);
    // staging: 1 of 2 CPU, 1 of 4 GB of $20; production: 1 of 8, 1 of 16 of $60
    expect(cost('web').monthlyUsd).toBeCloseTo(5 + 2.5 + 3.75 + 1.875, 10);
    expect(cost('app').monthlyUsd).toBe(0);
    expect(result.totals.monthlyUsd).toBe(92);
    expect(result.systems.map(s => s.system)).toEqual(['shop', 'obs']);
    expect(result.unplaced).toEqual([]);
  });

  it('lists services that no server takes', () => {
    const onlyDev = service('dev', 1, 1024, { environments: ['dev'] });
    const result = computeScenarioCost(config, config.scenarios[1], [onlyDev]);
    expect(result.unplaced).toEqual(['component:default/dev']);
    expect(result.services[0].monthlyUsd).toBe(0);
  });

  it('evaluates the targets', () => {
    const result = computeScenarioCost(config, config.scenarios[0], [
      service('big', 4, 8192),
    ]);
    expect(result.targets).toEqual([
      {
        id: 'monthly-total',
        label: expect.any(String),
        value: 42,
        limit: 100,
        met: true,
      },
      {
        id: 'per-service-average',
        label: expect.any(String),
        value: 42,
        limit: 5,
        met: false,
      },
      {
        id: 'per-service-max',
        label: expect.any(String),
        value: 40,
        limit: 5,
        met: false,
        entityRef: 'component:default/big',
      },
    ]);
  });
});

describe('computeCostReport', () => {
  it('computes the current scenario and every other as a what-if', () => {
    const report = computeCostReport(config, [service('api', 1, 1024)], {
      now: new Date('2026-11-23T10:00:00Z'),
      warnings: ['w'],
    });
    expect(report.generatedAt).toBe('2026-11-23T10:00:00.000Z');
    expect(report.current.id).toBe('one');
    expect(report.whatIf.map(s => s.id)).toEqual(['split']);
    expect(report.warnings).toEqual(['w']);
  });
});
