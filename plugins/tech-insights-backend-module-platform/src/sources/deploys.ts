import {
  EntityDeployFacts,
  EntityDeployFactsResponse,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { PluginClient } from './pluginClient';
import { CategoryFacts, PlatformFactSource } from './types';

const round1 = (v: number) => Math.round(v * 10) / 10;
const minutes = (seconds: number | null) =>
  seconds === null ? null : round1(seconds / 60);

/** The one place platform-deploy's figures of an entity become its `deploys` fact. @public */
export function toDeploysFacts(
  item: EntityDeployFacts,
  environment: string,
): CategoryFacts {
  if (!item.deploysToEnvironment) {
    return {
      applicable: false,
      reason: `not deployed to ${environment} (its platform-portal.dev/environments annotation)`,
    };
  }
  const notes: Record<string, string> = {};
  if (item.terminalDeploys === 0) {
    notes.successRate = `no ${environment} deploy in the window`;
    notes.p90DeployMinutes = notes.successRate;
  }
  const failures = item.failedDeploys;
  if (failures > 0 && item.timeToRestoreSeconds === null) {
    notes.timeToRestoreMinutes = `${failures} failed ${environment} deploy(s) not followed by a successful one yet`;
  }
  // a mobile app has no server to probe (it updates over the air)
  let healthProbe: string;
  if (item.type === 'mobile-app') healthProbe = 'no-server';
  else if (!item.healthProbeConfigured) {
    healthProbe = 'not-configured';
    notes.healthProbe = `no platform-portal.dev/health-url.${environment} annotation`;
  } else if (item.health === 'down') {
    healthProbe = 'down';
    notes.healthProbe = `the ${environment} health URL failed its last probes`;
  } else healthProbe = item.health === 'up' ? 'up' : 'unknown';
  return {
    applicable: true,
    productionDeploysPerWeek: item.productionDeploysPerWeek,
    deploys: item.terminalDeploys,
    failures,
    successRate: item.successRate,
    changeFailureRate: item.changeFailureRate,
    p90DeployMinutes: minutes(item.p90DurationSeconds),
    timeToRestoreMinutes: minutes(item.timeToRestoreSeconds),
    lastProductionDeployAgeDays: item.lastProductionDeployAgeDays,
    healthProbeConfigured: item.healthProbeConfigured,
    health: item.health,
    healthProbe,
    ...(Object.keys(notes).length > 0 ? { notes } : {}),
  };
}

/**
 * Deploy facts of every deployable entity, from platform-deploy's
 * `GET /v1/entity-facts`: one request and one SQL statement per run.
 *
 * @public
 */
export function createDeploysFactSource(options: {
  client: PluginClient;
  /** The window of production events the figures are over. Default 28 days. */
  windowDays?: number;
}): PlatformFactSource {
  const windowDays = options.windowDays ?? 28;
  return {
    id: 'platformDeploys',
    version: '1.0.0',
    title: 'Production deploys',
    description: `Production deploys over the last ${windowDays} days, from platform-deploy.`,
    factName: 'deploys',
    fields: {
      applicable: 'the entity is deployed to production',
      productionDeploysPerWeek: 'successful production deploys per week',
      deploys: 'terminal production deploys in the window',
      failures: 'failed or rolled back production deploys in the window',
      successRate: 'succeeded / terminal deploys (0..1), null without deploys',
      changeFailureRate: 'failed or rolled back / terminal deploys (0..1)',
      p90DeployMinutes: 'nearest-rank p90 deploy duration in minutes',
      timeToRestoreMinutes:
        'median minutes from a failed deploy to the next success',
      lastProductionDeployAgeDays:
        'days since the current version was deployed',
      healthProbeConfigured: 'a production health URL is annotated',
      health: 'up, down, unknown (not probed yet) or none (no state)',
      healthProbe:
        'up, unknown (not probed yet), down, not-configured, or no-server (a mobile app)',
    },
    async read() {
      const response = await options.client.getJson<EntityDeployFactsResponse>(
        'platform-deploy',
        `/v1/entity-facts?windowDays=${windowDays}`,
      );
      return new Map(
        response.items.map(item => [
          item.entityRef,
          toDeploysFacts(item, response.environment),
        ]),
      );
    },
  };
}
