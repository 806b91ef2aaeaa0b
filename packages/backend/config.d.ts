export interface Config {
  /** The community code-coverage backend and our modules in front of it. */
  codeCoverage?: {
    /**
     * Read by the community backend (and our ingest-scope module): largest
     * report body. Default `100kb`.
     */
    bodySizeLimit?: string;
    /** The quality module's demo feed (src/modules/codeCoverageQuality.ts). */
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
  techdocs?: {
    generator?: {
      mkdocs?: {
        /**
         * Read by @backstage/plugin-techdocs-node (generate without the
         * techdocs-core MkDocs plugin, which Debian does not package) but not
         * declared in its schema; declared here so `config:check --strict`
         * passes.
         */
        omitTechdocsCorePlugin?: boolean;
        /**
         * Read by @backstage/plugin-techdocs-node: sets `theme.font: false`
         * on material sites, so no page waits for Google Fonts. Declared here
         * for the same reason.
         */
        disableExternalFonts?: boolean;
      };
    };
    /** The TechDocs prebuild module (src/modules/techdocsPrebuild.ts). */
    prebuild?: {
      /**
       * When to sync every entity's docs. Default: 15 seconds after start,
       * then every 30 minutes, at most 15 minutes per run.
       */
      schedule?: {
        frequency: { [unit: string]: number } | { cron: string };
        timeout: { [unit: string]: number };
        initialDelay?: { [unit: string]: number };
      };
    };
  };
}
