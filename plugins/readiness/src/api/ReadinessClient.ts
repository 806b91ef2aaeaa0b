import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityBackupDetails } from '@platform-portal/backstage-plugin-backup-status-common';
import { EntityDeploymentsResponse } from '@platform-portal/backstage-plugin-platform-deploy-common';
import {
  EntityReadiness,
  ReadinessOverview,
  ReadinessTrend,
} from '@platform-portal/backstage-plugin-readiness-common';
import { EntityHealthSummary, ReadinessApi } from './ReadinessApi';

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

/** {@link ReadinessApi} over HTTP. @public */
export class ReadinessClient implements ReadinessApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc ReadinessApi.getEntityReadiness} */
  async getEntityReadiness(entityRef: string): Promise<EntityReadiness> {
    const response = await this.get(
      'readiness',
      `/v1/entities/${entityPath(entityRef)}`,
    );
    return response.json();
  }

  /** {@inheritDoc ReadinessApi.getOverview} */
  async getOverview(): Promise<ReadinessOverview> {
    return (await this.get('readiness', '/v1/overview')).json();
  }

  /** {@inheritDoc ReadinessApi.getOverviewCsv} */
  async getOverviewCsv(): Promise<string> {
    return (await this.get('readiness', '/v1/overview.csv')).text();
  }

  /** {@inheritDoc ReadinessApi.getTrend} */
  async getTrend(days: number): Promise<ReadinessTrend> {
    const query = new URLSearchParams({ days: String(days) });
    return (await this.get('readiness', `/v1/trend?${query}`)).json();
  }

  /** {@inheritDoc ReadinessApi.getDeployments} */
  async getDeployments(
    entityRef: string,
  ): Promise<EntityDeploymentsResponse | undefined> {
    const response = await this.get(
      'platform-deploy',
      `/v1/entities/${entityPath(entityRef)}?environment=production&limit=1`,
      { notFound: 'undefined' },
    );
    return response?.json();
  }

  /** {@inheritDoc ReadinessApi.getBackups} */
  async getBackups(
    entityRef: string,
  ): Promise<EntityBackupDetails | undefined> {
    const response = await this.get(
      'backup-status',
      `/v1/entities/${entityPath(entityRef)}?limit=1`,
      { notFound: 'undefined' },
    );
    return response?.json();
  }

  /** {@inheritDoc ReadinessApi.getHealth} */
  async getHealth(entityRef: string): Promise<EntityHealthSummary | undefined> {
    const path = `/v1/entities/${entityPath(entityRef)}`;
    const [alerts, uptime] = await Promise.all([
      this.get('health', `${path}/alerts`, { notFound: 'undefined' }),
      this.get('health', `${path}/uptime`, { notFound: 'undefined' }),
    ]);
    if (!alerts || !uptime) return undefined;
    return {
      alerts: (await alerts.json()).alerts,
      uptime: await uptime.json(),
    };
  }

  private async get(pluginId: string, path: string): Promise<Response>;
  private async get(
    pluginId: string,
    path: string,
    options: { notFound: 'undefined' },
  ): Promise<Response | undefined>;
  private async get(
    pluginId: string,
    path: string,
    options?: { notFound: 'undefined' },
  ): Promise<Response | undefined> {
    const baseUrl = await this.discoveryApi.getBaseUrl(pluginId);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (response.status === 404 && options?.notFound === 'undefined') {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
