export interface Config {
  imageScans?: {
    /**
     * The environment whose criticals count their days open.
     * Default `production`.
     */
    productionEnvironment?: string;
    demo?: {
      /**
       * Feed a demo scan (source `demo`, marked as such) of the version live
       * in each environment of every Component, while no real report exists.
       * Default false; the embedded default turns it on.
       */
      enabled?: boolean;
    };
  };
}
