export interface Config {
  /** Settings the portal's backend plugins share (the backend kit). */
  platformPortal?: {
    /**
     * Catalog locations whose entities may drive production changes, health
     * probes, bucket listings and the GitHub webhook's repository mapping,
     * besides every location in `catalog.locations` (always trusted). Each
     * entry is a location ref (`url:https://github.com/mana/repo/blob/main/catalog-info.yaml`)
     * or, ending in `/`, a prefix (`url:https://github.com/mana/`). Default: none.
     */
    trustedLocations?: string[];
    ingest?: {
      /**
       * What each ingest credential may report for. `subject` is the static
       * external access token's subject (`backend.auth.externalAccess`); a
       * token not listed here may report for nothing.
       */
      credentials?: Array<{
        /** The token's subject, e.g. `ci-chat`. */
        subject: string;
        /** Entities owned by these groups (entity refs). Default: none. */
        owners?: string[];
        /** These entities (entity refs). Default: none. */
        entities?: string[];
        /** Every entity (the platform team's own jobs). Default: false. */
        allEntities?: boolean;
      }>;
    };
  };
}
