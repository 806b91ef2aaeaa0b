export interface Config {
  platformDeploy?: {
    /**
     * The cost model behind `GET /api/platform-deploy/v1/costs` and the
     * `/platform/costs` page. Without it the endpoint answers 404 and says so.
     */
    costs?: {
      /** Id of the scenario that runs now; the others are what-ifs. Default: the first scenario. */
      current?: string;
      /** The estate's targets. */
      targets?: {
        /** The total per month must stay below this, in USD. Default: 100. */
        monthlyTotalUsd?: number;
        /** Each service must cost less than this per month, in USD. Default: 5. */
        perServiceUsd?: number;
      };
      /**
       * Shares of a server's price that pay for its CPU and its memory; they
       * must add up to 1. Default: { cpu: 0.5, memory: 0.5 }.
       */
      weights?: {
        cpu: number;
        memory: number;
      };
      /**
       * Allocation per instance by Component `spec.type`, for components without
       * the `platform-portal.dev/cpu` / `memory` annotations. Entries here
       * replace the built-in ones per type. Default: service 0.5 / 512Mi,
       * website 0.25 / 256Mi, database 1 / 2Gi, cache 0.25 / 256Mi,
       * observability 0.25 / 512Mi; any other type (mobile-app) runs on no server.
       */
      defaults?: {
        [type: string]: {
          /** Cores, e.g. 0.5 or "500m". */
          cpu: number | string;
          /** A memory quantity, e.g. "512Mi". */
          memory: string | number;
        };
      };
      /** Costs of the estate that belong to no server (domains, free tiers). Default: none. */
      fixedCosts?: Array<{
        name: string;
        monthlyUsd: number;
        /** Shown next to the name, e.g. "free tier". */
        note?: string;
      }>;
      /** Sets of servers: the current one and what-ifs. At least one. */
      scenarios: Array<{
        /** Lowercase id, e.g. `single-server`. */
        id: string;
        /** Shown on the page. Default: the id. */
        title?: string;
        servers: Array<{
          /** The server's `server` Resource name in the catalog. */
          name: string;
          /** Provider plan, e.g. CCX32. */
          plan: string;
          monthlyUsd: number;
          /** vCPUs. */
          cpu: number | string;
          /** RAM as a memory quantity, e.g. "32Gi". */
          memory: string | number;
          /**
           * Hosts one instance of each of its services that is deployed to this
           * environment (`platform-portal.dev/environments`). Default: one
           * instance of each, whatever the environments.
           */
          environment?: string;
          /** Hosts only these systems. Default: everything no other server names. */
          systems?: string[];
          /** Hosts only these components (names or entity refs). */
          components?: string[];
        }>;
      }>;
      /** How long one catalog query for all components is reused. Default: 60 seconds. */
      cacheSeconds?: number;
    };
  };
}
