import { parseEntityRef } from '@backstage/catalog-model';
import { FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityBackupDetails } from '@platform-portal/backstage-plugin-backup-status-common';
import { EntityDeploymentsResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  EntityReadiness,
  ReadinessEntitiesPage,
  ReadinessEntitiesQuery,
  ReadinessOverview,
  ReadinessSummary,
  ReadinessTrend,
} from '@platform-portal/backstage-plugin-readiness-common';
import { EntityHealthSummary, ReadinessApi } from './ReadinessApi';

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

/**
 * {@link ReadinessApi} over HTTP. It asks for `plugin://<plugin id>/...`: the
 * app's fetchApi resolves the plugin protocol through discovery and adds the
 * user's token.
 *
 * @public
 */
export class ReadinessClient implements ReadinessApi {
  private readonly fetchApi: FetchApi;

  constructor(options: { fetchApi: FetchApi }) {
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc ReadinessApi.getEntityReadiness} */
  async getEntityReadiness(entityRef: string): Promise<EntityReadiness> {
    return (
      await this.get(`plugin://readiness/v1/entities/${entityPath(entityRef)}`)
    ).json();
  }

  /** {@inheritDoc ReadinessApi.getOverview} */
  async getOverview(): Promise<ReadinessOverview> {
    return (await this.get('plugin://readiness/v1/overview')).json();
  }

  /** {@inheritDoc ReadinessApi.getSummary} */
  async getSummary(): Promise<ReadinessSummary> {
    return (await this.get('plugin://readiness/v1/summary')).json();
  }

  /** {@inheritDoc ReadinessApi.getEntities} */
  async getEntities(
    query: Partial<ReadinessEntitiesQuery>,
  ): Promise<ReadinessEntitiesPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      // an empty system or owner asks for the entities without one
      if (value !== undefined) params.set(key, String(value));
    }
    return (await this.get(`plugin://readiness/v1/entities?${params}`)).json();
  }

  /** {@inheritDoc ReadinessApi.getOverviewCsv} */
  async getOverviewCsv(): Promise<string> {
    return (await this.get('plugin://readiness/v1/overview.csv')).text();
  }

  /** {@inheritDoc ReadinessApi.getTrend} */
  async getTrend(days: number): Promise<ReadinessTrend> {
    const query = new URLSearchParams({ days: String(days) });
    return (await this.get(`plugin://readiness/v1/trend?${query}`)).json();
  }

  /** {@inheritDoc ReadinessApi.getDeployments} */
  async getDeployments(
    entityRef: string,
  ): Promise<EntityDeploymentsResponse | undefined> {
    const response = await this.getUnlessMissing(
      `plugin://platform-deploy/v1/entities/${entityPath(
        entityRef,
      )}?environment=production&limit=1`,
    );
    return response?.json();
  }

  /** {@inheritDoc ReadinessApi.getBackups} */
  async getBackups(
    entityRef: string,
  ): Promise<EntityBackupDetails | undefined> {
    const response = await this.getUnlessMissing(
      `plugin://backup-status/v1/entities/${entityPath(entityRef)}?limit=1`,
    );
    return response?.json();
  }

  /** {@inheritDoc ReadinessApi.getHealth} */
  async getHealth(entityRef: string): Promise<EntityHealthSummary | undefined> {
    const url = `plugin://health/v1/entities/${entityPath(entityRef)}`;
    const [alerts, uptime] = await Promise.all([
      this.getUnlessMissing(`${url}/alerts`),
      this.getUnlessMissing(`${url}/uptime`),
    ]);
    if (!alerts || !uptime) return undefined;
    return {
      alerts: (await alerts.json()).alerts,
      uptime: await uptime.json(),
    };
  }

  /** A GET that throws a `ResponseError` unless it answers 2xx. */
  private async get(url: string): Promise<Response> {
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }

  /**
   * A GET of another plugin's entity endpoint: its 404 (an entity that plugin
   * does not know) is `undefined`, so the card shows "no data" for that part.
   */
  private async getUnlessMissing(url: string): Promise<Response | undefined> {
    const response = await this.fetchApi.fetch(url);
    if (response.status === 404) return undefined;
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }
}
