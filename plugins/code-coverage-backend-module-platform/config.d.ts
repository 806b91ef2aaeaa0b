export interface Config {
  /** The community code-coverage backend and this package's modules of it. */
  codeCoverage?: {
    /**
     * Read by the community backend (and our ingest-scope module): largest
     * report body. Default `100kb`.
     */
    bodySizeLimit?: string;
    /** The quality module's demo feed (src/qualityFacts.ts). */
    demo?: {
      /**
       * Post demo LCOV reports of every Component, dated over the last 30
       * days and marked `metadata.demo`, while no other report exists.
       * Default false; the embedded default turns it on.
       */
      enabled?: boolean;
      /**
       * Entities whose demo reports end at 92 % of lines with their
       * `src/auth/` files fully covered (the readiness demo's Gold services).
       */
      wellTested?: string[];
    };
  };
}
