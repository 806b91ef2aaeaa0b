/**
 * The schema of `platformDeploy.costs`: the costs module and the
 * scaffolder's cost estimate both read the section through it (with
 * platform-deploy-node's `readCostsConfig`), so they agree on what a valid
 * model is.
 */
import { z } from 'zod/v3';
import { parseCpu, parseMemoryMiB } from './quantities';
import { CostModelConfig, Resources } from './types';

/**
 * Allocation per Component `spec.type` from the estate's plan (see the
 * portal's docs, `runbooks/cost-model.md`):
 * NestJS backend 0.5 CPU / 512 MB, SvelteKit web 0.25 / 256 MB (Astro
 * landings are `website` too and carry their own 0.1 / 128 MB annotations),
 * PostgreSQL 1 / 2 GB, Redis 0.25 / 256 MB, the monitoring stack 1 / 2 GB
 * shared by its 4 components. Mobile apps have none: they run on no server.
 *
 * @public
 */
export const DEFAULT_ALLOCATIONS: Record<string, Resources> = {
  service: { cpu: 0.5, memoryMiB: 512 },
  website: { cpu: 0.25, memoryMiB: 256 },
  database: { cpu: 1, memoryMiB: 2048 },
  cache: { cpu: 0.25, memoryMiB: 256 },
  observability: { cpu: 0.25, memoryMiB: 512 },
};

/** The estate's targets: under $100 a month, under $5 a service. @public */
export const DEFAULT_COST_TARGETS = { monthlyTotalUsd: 100, perServiceUsd: 5 };

const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and -');

const cpu = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const cores = parseCpu(value);
  if (cores === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be a CPU quantity such as 0.5 or 500m, got ${JSON.stringify(
        value,
      )}`,
    });
    return z.NEVER;
  }
  return cores;
});

const memory = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const mib = parseMemoryMiB(value);
  if (mib === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be a memory quantity such as 512Mi or 32Gi, got ${JSON.stringify(
        value,
      )}`,
    });
    return z.NEVER;
  }
  return mib;
});

const usd = z.number().nonnegative().finite();

const serverSchema = z
  .object({
    name,
    plan: z.string().min(1).max(50),
    monthlyUsd: usd,
    cpu,
    memory,
    environment: z.string().min(1).max(63).optional(),
    systems: z.array(z.string().min(1)).optional(),
    components: z.array(z.string().min(1)).optional(),
  })
  .strict();

const scenarioSchema = z
  .object({
    id: name,
    title: z.string().min(1).max(200).optional(),
    servers: z.array(serverSchema).min(1),
  })
  .strict()
  .superRefine((scenario, ctx) => {
    const seen = new Set<string>();
    scenario.servers.forEach((server, i) => {
      if (seen.has(server.name)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['servers', i, 'name'],
          message: `duplicate server ${server.name}`,
        });
      }
      seen.add(server.name);
    });
  });

/**
 * How long the costs module reuses one catalog query for all components,
 * unless `platformDeploy.costs.cacheSeconds` says otherwise.
 *
 * @public
 */
export const DEFAULT_COSTS_CACHE_SECONDS = 60;

/** `platformDeploy.costs` as written in app-config.yaml. */
const costsSectionSchema = z
  .object({
    cacheSeconds: z
      .number()
      .nonnegative()
      .finite()
      .default(DEFAULT_COSTS_CACHE_SECONDS),
    current: name.optional(),
    scenarios: z.array(scenarioSchema).min(1),
    fixedCosts: z
      .array(
        z
          .object({
            name: z.string().min(1).max(200),
            monthlyUsd: usd,
            note: z.string().max(200).optional(),
          })
          .strict(),
      )
      .default([]),
    weights: z
      .object({
        cpu: z.number().min(0).max(1),
        memory: z.number().min(0).max(1),
      })
      .strict()
      .refine(w => Math.abs(w.cpu + w.memory - 1) < 1e-9, {
        message: 'cpu + memory must add up to 1',
      })
      .default({ cpu: 0.5, memory: 0.5 }),
    defaults: z.record(z.object({ cpu, memory }).strict()).default({}),
    targets: z
      .object({
        monthlyTotalUsd: usd.default(DEFAULT_COST_TARGETS.monthlyTotalUsd),
        perServiceUsd: usd.default(DEFAULT_COST_TARGETS.perServiceUsd),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const ids = config.scenarios.map(s => s.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['scenarios', i, 'id'],
          message: `duplicate scenario ${id}`,
        });
      }
    });
    if (config.current && !ids.includes(config.current)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['current'],
        message: `must be one of the scenario ids (${ids.join(', ')})`,
      });
    }
  });

/**
 * `platformDeploy.costs`, validated, as its readers use it.
 *
 * @public
 */
export type CostsConfig = {
  /** The cost model, with the defaults filled in. */
  model: CostModelConfig;
  /** How long one catalog query for all components is reused. */
  cacheSeconds: number;
};

/**
 * The schema of `platformDeploy.costs`: validates the section as written in
 * app-config.yaml and fills in the defaults, giving {@link CostsConfig}.
 * It does not format its errors: backend code reads the section with
 * `readCostsConfig` of `@platform-portal/backstage-plugin-platform-deploy-node`,
 * which names each bad field in the portal's one error format (the backend
 * kit's); this package is shared with the frontend and cannot use the kit.
 *
 * @public
 */
export const costsConfigSchema: z.ZodType<CostsConfig, z.ZodTypeDef, unknown> =
  costsSectionSchema.transform(({ cacheSeconds, ...config }) => {
    const defaults: Record<string, Resources> = { ...DEFAULT_ALLOCATIONS };
    for (const [type, value] of Object.entries(config.defaults)) {
      defaults[type] = { cpu: value.cpu, memoryMiB: value.memory };
    }
    const model: CostModelConfig = {
      current: config.current ?? config.scenarios[0].id,
      scenarios: config.scenarios.map(scenario => ({
        id: scenario.id,
        title: scenario.title ?? scenario.id,
        servers: scenario.servers.map(server => ({
          name: server.name,
          plan: server.plan,
          monthlyUsd: server.monthlyUsd,
          capacity: { cpu: server.cpu, memoryMiB: server.memory },
          environment: server.environment,
          systems: server.systems,
          components: server.components,
        })),
      })),
      fixedCosts: config.fixedCosts,
      weights: config.weights,
      defaults,
      targets: {
        monthlyTotalUsd: config.targets.monthlyTotalUsd,
        perServiceUsd: config.targets.perServiceUsd,
      },
    };
    return { model, cacheSeconds };
  });

/**
 * The cost model of a `platformDeploy.costs` value, with the defaults filled
 * in (`cacheSeconds` is the reader's, not the model's): for tests, fixtures
 * and anything isomorphic that holds a section it trusts. Throws zod's
 * `ZodError` on an invalid value, unformatted; the backend reads the app's
 * config with `readCostsConfig` of platform-deploy-node, which names each
 * bad field.
 *
 * @public
 */
export function parseCostModelConfig(raw: unknown): CostModelConfig {
  return costsConfigSchema.parse(raw).model;
}
