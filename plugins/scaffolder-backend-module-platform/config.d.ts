export interface Config {
  platformPortal?: {
    /** What the portal's scaffolder templates may touch. */
    scaffolder?: {
      /**
       * Hosts the templates may publish to (lower case). Default:
       * [github.com].
       */
      allowedHosts?: string[];
      /**
       * Owners (GitHub users or organisations) whose repositories the
       * templates may publish to, e.g. [mana]; compared without case.
       * Default: none. `platform:repo:check`, the first step of every
       * template that publishes, refuses any other repository unless it is
       * in `allowedRepos`.
       */
      allowedOwners?: string[];
      /**
       * Single repositories the templates may publish to, as owner/repo
       * (e.g. [partner/shared-gitops]), besides every repository of
       * `allowedOwners`. Default: none.
       */
      allowedRepos?: string[];
    };
  };
}
