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
      };
    };
  };
}
