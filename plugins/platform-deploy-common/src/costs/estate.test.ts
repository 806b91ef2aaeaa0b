/*
 * The cost model on the real estate: the Components of catalog/ (the 39
 * services) and `platformDeploy.costs` of app-config.yaml. The figures must
 * reproduce the estate's plan (docs/runbooks/cost-model.md, "What it counts"
 * and "How a service's cost is computed"): $56 a month on the single server, $146 in the multi-server
 * phase, and the allocation table's ~10.5 CPU / ~12.5 GB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CPU,
  ANNOTATION_MEMORY,
  ANNOTATION_MONTHLY_COST_USD,
  ANNOTATION_SERVER_PLAN,
} from '../annotations';
import { parseCostModelConfig } from './config';
import { computeCostReport, sumResources } from './model';
import { parseCpu, parseMemoryMiB } from './quantities';
import { toCostService } from './services';
import { CostServiceInput } from './types';

const repoRoot = path.resolve(__dirname, '../../../..');

/** Every entity of catalog/ (all.yaml lists the files). */
function loadCatalog(): Entity[] {
  const dir = path.join(repoRoot, 'catalog');
  const files = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter(f => f.endsWith('.yaml'));
  return files.flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))
      .map(doc => doc.toJSON() as Entity)
      .filter(e => e && e.kind !== 'Location'),
  );
}

const entities = loadCatalog();
const components = entities.filter(e => e.kind === 'Component');
const appConfig = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
);
const config = parseCostModelConfig(appConfig.platformDeploy.costs);
const warnings: string[] = [];
const services = components.map(e =>
  toCostService(e, config.defaults, w => warnings.push(w)),
);
const report = computeCostReport(config, services, { warnings });

const byName = (name: string) =>
  report.current.services.find(s => s.name === name)!;

/** The plan's resource allocation table, row by row. */
const PLAN_ALLOCATION_TABLE = [
  { row: 'NestJS Backend', cpu: 0.5, memoryMiB: 512, instances: 10 },
  { row: 'SvelteKit Web', cpu: 0.25, memoryMiB: 256, instances: 9 },
  { row: 'Astro Landing', cpu: 0.1, memoryMiB: 128, instances: 9 },
  { row: 'PostgreSQL', cpu: 1, memoryMiB: 2048, instances: 1 },
  { row: 'Redis', cpu: 0.25, memoryMiB: 256, instances: 1 },
  { row: 'Monitoring', cpu: 1, memoryMiB: 2048, instances: 1 },
];

/** Nearest half: how the plan rounds its totals ("~10.5 CPU, ~12.5 GB"). */
const toHalf = (n: number) => Math.round(n * 2) / 2;

describe('the cost model on the estate', () => {
  it('reads all 39 components, every annotation readable', () => {
    expect(components).toHaveLength(39);
    expect(warnings).toEqual([]);
    const mobile = services.filter(s => s.type === 'mobile-app');
    expect(mobile).toHaveLength(8);
    expect(mobile.every(s => s.allocationSource === 'none')).toBe(true);
    expect(
      services
        .filter(s => s.type !== 'mobile-app')
        .every(s => s.allocationSource === 'annotations'),
    ).toBe(true);
  });

  it('totals $56 a month on the single server, as the plan does', () => {
    expect(report.current.id).toBe('single-server');
    expect(report.current.totals.serversUsd).toBe(50);
    expect(report.current.totals.fixedUsd).toBe(6);
    expect(report.current.totals.monthlyUsd).toBe(56);
    expect(report.current.fixedCosts.map(f => f.monthlyUsd)).toEqual([
      6, 0, 0, 0,
    ]);
  });

  it('totals $146 a month in the multi-server phase (the what-if)', () => {
    const multi = report.whatIf.find(s => s.id === 'multi-server')!;
    expect(multi.servers.map(s => [s.name, s.plan, s.monthlyUsd])).toEqual([
      ['staging-server', 'CCX22', 25],
      ['production-server', 'CCX42', 100],
      ['monitoring-server', 'CX32', 15],
    ]);
    expect(multi.totals.monthlyUsd).toBe(146);
    expect(multi.targets.find(t => t.id === 'monthly-total')).toMatchObject({
      met: false,
      value: 146,
      limit: 100,
    });
    // Staging and production each run one instance of every service but the
    // monitoring stack, which runs once on its own server.
    const [staging, production, monitoring] = multi.servers;
    expect(staging.instances).toBe(27);
    expect(production.instances).toBe(27);
    expect(monitoring.instances).toBe(4);
    expect(monitoring.allocated).toEqual({ cpu: 1, memoryMiB: 2048 });
    expect(multi.unplaced).toEqual([]);
  });

  it("reproduces the plan's allocation table (~10.5 CPU, ~12.5 GB) with its instance counts", () => {
    const rows = PLAN_ALLOCATION_TABLE.map(r => ({
      cpu: r.cpu * r.instances,
      memoryMiB: r.memoryMiB * r.instances,
    }));
    const total = sumResources(rows);
    expect(total.cpu).toBeCloseTo(10.4, 10);
    expect(total.memoryMiB / 1024).toBeCloseTo(12.625, 10);
    expect(toHalf(total.cpu)).toBe(10.5);
    expect(toHalf(total.memoryMiB / 1024)).toBe(12.5);
    // The per-type allocations are the config's defaults.
    expect(config.defaults.service).toEqual({ cpu: 0.5, memoryMiB: 512 });
    expect(config.defaults.website).toEqual({ cpu: 0.25, memoryMiB: 256 });
    expect(config.defaults.database).toEqual({ cpu: 1, memoryMiB: 2048 });
    expect(config.defaults.cache).toEqual({ cpu: 0.25, memoryMiB: 256 });
    expect(config.defaults.observability.cpu * 4).toBe(1);
    expect(config.defaults.observability.memoryMiB * 4).toBe(2048);
  });

  it("allocates 9.05 CPU / 11.25 GB from the catalog: the plan's table with the catalog's counts", () => {
    const { allocated } = report.current.totals;
    expect(allocated.cpu).toBeCloseTo(9.05, 10);
    expect(allocated.memoryMiB).toBe(11520);

    // The plan's own service list (and the catalog) has 7 NestJS backends,
    // 10 SvelteKit apps and 8 Astro landings; its table counts 10, 9 and 9.
    const count = (pred: (s: CostServiceInput) => boolean) =>
      services.filter(pred).length;
    const catalogCounts = {
      'NestJS Backend': count(s => s.type === 'service'),
      'SvelteKit Web': count(
        s => s.type === 'website' && s.allocation.cpu === 0.25,
      ),
      'Astro Landing': count(
        s => s.type === 'website' && s.allocation.cpu === 0.1,
      ),
      PostgreSQL: count(s => s.type === 'database'),
      Redis: count(s => s.type === 'cache'),
      Monitoring: count(s => s.type === 'observability') / 4,
    };
    expect(catalogCounts).toEqual({
      'NestJS Backend': 7,
      'SvelteKit Web': 10,
      'Astro Landing': 8,
      PostgreSQL: 1,
      Redis: 1,
      Monitoring: 1,
    });
    const fromCatalogCounts = sumResources(
      PLAN_ALLOCATION_TABLE.map(r => ({
        cpu: r.cpu * catalogCounts[r.row as keyof typeof catalogCounts],
        memoryMiB:
          r.memoryMiB * catalogCounts[r.row as keyof typeof catalogCounts],
      })),
    );
    expect(fromCatalogCounts.cpu).toBeCloseTo(allocated.cpu, 10);
    expect(fromCatalogCounts.memoryMiB).toBeCloseTo(allocated.memoryMiB, 10);
  });

  it('shares the server by allocation and shows the rest as unallocated', () => {
    const [server] = report.current.servers;
    expect(server.capacity).toEqual({ cpu: 8, memoryMiB: 32768 });
    expect(server.overcommitted).toEqual(['cpu']);
    expect(server.headroom.cpu).toBeCloseTo(-1.05, 10);
    expect(server.headroom.memoryMiB).toBe(32768 - 11520);
    // CPU half ($25) fully shared (overcommitted); memory half ($25) by 11.25 of 32 GB.
    expect(server.allocatedUsd).toBeCloseTo(25 + (25 * 11520) / 32768, 10);
    expect(server.unallocatedUsd).toBeCloseTo(16.2109375, 10);

    expect(byName('chat-backend').monthlyUsd).toBeCloseTo(
      (25 * 0.5) / 9.05 + (25 * 512) / 32768,
      10,
    );
    expect(byName('postgres').monthlyUsd).toBeCloseTo(4.3249, 3);
    expect(byName('chat-mobile').monthlyUsd).toBe(0);

    const servicesUsd = report.current.services.reduce(
      (sum, s) => sum + s.monthlyUsd,
      0,
    );
    const systemsUsd = report.current.systems.reduce(
      (sum, s) => sum + s.monthlyUsd,
      0,
    );
    expect(servicesUsd).toBeCloseTo(report.current.totals.allocatedUsd, 10);
    expect(systemsUsd).toBeCloseTo(servicesUsd, 10);
    expect(
      servicesUsd +
        report.current.totals.unallocatedUsd +
        report.current.totals.fixedUsd,
    ).toBeCloseTo(56, 10);
    expect(report.current.systems).toHaveLength(14);
    expect(report.current.unplaced).toEqual([]);
  });

  it("meets the estate's targets: under $100 a month, under $5 a service", () => {
    const targets = Object.fromEntries(
      report.current.targets.map(t => [t.id, t]),
    );
    expect(targets['monthly-total']).toMatchObject({
      value: 56,
      limit: 100,
      met: true,
    });
    expect(targets['per-service-average'].value).toBeCloseTo(56 / 39, 10);
    expect(targets['per-service-average'].met).toBe(true);
    expect(targets['per-service-max']).toMatchObject({
      entityRef: 'component:default/postgres',
      limit: 5,
      met: true,
    });
  });

  it('has the same servers in config as the server Resources of the catalog', () => {
    const resources = entities.filter(
      e => e.kind === 'Resource' && (e.spec as any)?.type === 'server',
    );
    const fromCatalog = resources
      .map(r => ({
        name: r.metadata.name,
        plan: r.metadata.annotations![ANNOTATION_SERVER_PLAN],
        monthlyUsd: Number(
          r.metadata.annotations![ANNOTATION_MONTHLY_COST_USD],
        ),
        cpu: parseCpu(r.metadata.annotations![ANNOTATION_CPU]),
        memoryMiB: parseMemoryMiB(r.metadata.annotations![ANNOTATION_MEMORY]),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const fromConfig = config.scenarios
      .flatMap(s => s.servers)
      .map(s => ({
        name: s.name,
        plan: s.plan,
        monthlyUsd: s.monthlyUsd,
        cpu: s.capacity.cpu,
        memoryMiB: s.capacity.memoryMiB,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(fromConfig).toEqual(fromCatalog);
  });
});
