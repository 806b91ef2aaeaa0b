export interface Config {
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
