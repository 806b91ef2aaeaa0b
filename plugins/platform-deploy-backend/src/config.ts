import { Config } from '@backstage/config';

/** The plugin's settings, read once from `platformDeploy` (see config.d.ts). */
export type PlatformDeployConfig = {
  environments: string[];
  productionEnvironment: string;
  githubEnvironmentAliases: Record<string, string>;
  demoEnabled: boolean;
  /** Ingest requests per token per minute (per replica). */
  ingestRequestsPerMinute: number;
  healthProbe: {
    enabled: boolean;
    timeoutMs: number;
    concurrency: number;
    downAfterFailures: number;
  };
};

export function readPlatformDeployConfig(root: Config): PlatformDeployConfig {
  const config = root.getOptionalConfig('platformDeploy');
  const environments = config?.getOptionalStringArray('environments') ?? [
    'staging',
    'production',
  ];
  const aliases: Record<string, string> = {};
  const aliasConfig = config?.getOptionalConfig('github.environmentAliases');
  for (const key of aliasConfig?.keys() ?? []) {
    aliases[key] = aliasConfig!.getString(key);
  }
  return {
    environments,
    productionEnvironment:
      config?.getOptionalString('productionEnvironment') ??
      environments[environments.length - 1],
    githubEnvironmentAliases: aliases,
    demoEnabled: config?.getOptionalBoolean('demo.enabled') ?? false,
    ingestRequestsPerMinute:
      config?.getOptionalNumber('ingest.requestsPerMinute') ?? 600,
    healthProbe: {
      enabled: config?.getOptionalBoolean('healthProbe.enabled') ?? true,
      timeoutMs: config?.getOptionalNumber('healthProbe.timeoutMs') ?? 5000,
      concurrency: config?.getOptionalNumber('healthProbe.concurrency') ?? 8,
      downAfterFailures:
        config?.getOptionalNumber('healthProbe.downAfterFailures') ?? 2,
    },
  };
}
