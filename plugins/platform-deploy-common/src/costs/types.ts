/**
 * Types of the cost model: its input (config and services) and its output
 * (`CostReport`, the body of `GET /v1/costs`). Money is USD per month,
 * CPU is in cores, memory in MiB.
 */

/** CPU and memory, allocated or available. @public */
export type Resources = {
  cpu: number;
  memoryMiB: number;
};

/** One server of a scenario, as configured. @public */
export type CostServerConfig = {
  /** The server's `server` Resource name in the catalog, e.g. `single-server`. */
  name: string;
  /** Provider plan, e.g. `CCX32`. */
  plan: string;
  monthlyUsd: number;
  /** Capacity: vCPUs and RAM. */
  capacity: Resources;
  /** Hosts one instance of each of its services deployed to this environment; absent: one instance of each, whatever the environments. */
  environment?: string;
  /** Hosts only these systems (and `components`); absent with `components`: everything that no other server names. */
  systems?: string[];
  /** Hosts only these components (names or refs). */
  components?: string[];
};

/** A set of servers that could run the estate: the current one or a what-if. @public */
export type CostScenarioConfig = {
  id: string;
  title: string;
  servers: CostServerConfig[];
};

/** A cost that belongs to the estate, not to a server (domains, free tiers). @public */
export type FixedCostConfig = {
  name: string;
  monthlyUsd: number;
  note?: string;
};

/** The whole model as `platformDeploy.costs` configures it (defaults filled in). @public */
export type CostModelConfig = {
  /** Id of the scenario that runs now; the others are what-ifs. */
  current: string;
  scenarios: CostScenarioConfig[];
  fixedCosts: FixedCostConfig[];
  /** Shares of a server's price that pay for its CPU and its memory; they add up to 1. */
  weights: { cpu: number; memory: number };
  /** Allocation per Component `spec.type`, for components without the annotations. */
  defaults: Record<string, Resources>;
  targets: {
    /** The estate's total per month must stay below this. */
    monthlyTotalUsd: number;
    /** Each service must cost less than this per month. */
    perServiceUsd: number;
  };
};

/** Where a service's allocation came from. @public */
export type AllocationSource = 'annotations' | 'default' | 'none';

/** One service (a catalog Component) as the model sees it. @public */
export type CostServiceInput = {
  entityRef: string;
  name: string;
  title?: string;
  system?: string;
  type?: string;
  /** From `platform-portal.dev/environments`; absent: every environment. */
  environments?: string[];
  /** Per instance; zero for services that run on no server (mobile apps). */
  allocation: Resources;
  allocationSource: AllocationSource;
};

/** One instance of a service on one server, and what it costs. @public */
export type ServiceInstanceCost = {
  server: string;
  environment?: string;
  monthlyUsd: number;
};

/** What one service costs a month on one scenario. @public */
export type ServiceCost = {
  entityRef: string;
  name: string;
  title?: string;
  system?: string;
  type?: string;
  allocation: Resources;
  allocationSource: AllocationSource;
  instances: ServiceInstanceCost[];
  monthlyUsd: number;
  /** monthlyUsd / the scenario's total (fixed costs and unallocated included). */
  shareOfTotal: number;
};

/** What the services of one system cost a month on one scenario. @public */
export type SystemCost = {
  system: string;
  services: number;
  monthlyUsd: number;
  shareOfTotal: number;
};

/** One server of a scenario: its price, capacity and use. @public */
export type ServerCost = {
  name: string;
  entityRef: string;
  plan: string;
  environment?: string;
  monthlyUsd: number;
  capacity: Resources;
  /** Sum over the instances the server hosts. */
  allocated: Resources;
  /** capacity - allocated; negative when overcommitted. */
  headroom: Resources;
  /** allocated / capacity. */
  utilisation: { cpu: number; memory: number };
  /** Resources with more allocated than the server has. */
  overcommitted: Array<'cpu' | 'memory'>;
  instances: number;
  /** The part of the price shared among the server's services. */
  allocatedUsd: number;
  /** The part of the price no service uses: free capacity. */
  unallocatedUsd: number;
};

/** The estate's cost targets. @public */
export type CostTargetId =
  | 'monthly-total'
  | 'per-service-average'
  | 'per-service-max';

/** One of the estate's targets and whether the scenario meets it. @public */
export type CostTargetStatus = {
  id: CostTargetId;
  label: string;
  value: number;
  limit: number;
  met: boolean;
  /** For `per-service-max`: the most expensive service. */
  entityRef?: string;
};

/** Everything the cost views show for one scenario. @public */
export type ScenarioCost = {
  id: string;
  title: string;
  totals: {
    /** Servers + fixed costs. */
    monthlyUsd: number;
    serversUsd: number;
    fixedUsd: number;
    /** Shared among services (sum of their costs). */
    allocatedUsd: number;
    /** Server capacity no service is allocated. */
    unallocatedUsd: number;
    /** Components counted, with or without a server (mobile apps). */
    services: number;
    /** monthlyUsd / services: everything included. */
    perServiceAverageUsd: number;
    /** Allocation of all instances on all servers. */
    allocated: Resources;
    capacity: Resources;
  };
  servers: ServerCost[];
  fixedCosts: FixedCostConfig[];
  systems: SystemCost[];
  services: ServiceCost[];
  targets: CostTargetStatus[];
  /** Services that have an allocation but no server in this scenario. */
  unplaced: string[];
};

/** The body of `GET /api/platform-deploy/v1/costs`. @public */
export type CostReport = {
  generatedAt: string;
  currency: 'USD';
  weights: { cpu: number; memory: number };
  current: ScenarioCost;
  whatIf: ScenarioCost[];
  /** Annotations that could not be read (the type's default was used). */
  warnings: string[];
};

/** The body of `GET /api/platform-deploy/v1/costs?entityRef=`. @public */
export type EntityCostResponse = {
  scenario: { id: string; title: string };
  totalMonthlyUsd: number;
  service: ServiceCost;
  targets: { perServiceUsd: number };
};
