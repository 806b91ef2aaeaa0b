export interface Config {
  platformDeploy?: {
    github?: {
      /**
       * Secret of the GitHub webhook (X-Hub-Signature-256). Default: the
       * environment variable PLATFORM_GITHUB_WEBHOOK_SECRET; with neither, the
       * endpoint answers 503 and stores nothing.
       * @visibility secret
       */
      webhookSecret?: string;
      /** GitHub environment name -> ours, e.g. `prod: production`. Default: none (names match as they are). */
      environmentAliases?: { [githubName: string]: string };
      /**
       * Repository full name (`owner/name`, any case) -> the entity ref its
       * deployments report for, e.g. `mana/legacy: component:default/legacy-api`.
       * A repository listed here maps to that entity only; any other maps to
       * the Components from trusted locations (`catalog.locations`,
       * `platformPortal.trustedLocations`) whose `github.com/project-slug` is
       * the repository. Default: none.
       */
      repositories?: { [repositoryFullName: string]: string };
    };
  };
}
