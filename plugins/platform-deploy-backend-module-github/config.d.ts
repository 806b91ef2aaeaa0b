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
    };
  };
}
