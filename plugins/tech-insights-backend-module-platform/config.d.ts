export interface Config {
  techInsights?: {
    /** The portal's fact retrievers (plugins/tech-insights-backend-module-platform). */
    platformFacts?: {
      /** The window of production deploys the deploy facts are over. Default 28 days. */
      deploysWindowDays?: number;
      /**
       * A HIGH vulnerability open in production longer than this counts in
       * the quality fact's `highOlderThanDays`. Default 30 days.
       */
      highVulnMaxAgeDays?: number;
    };
  };
}
