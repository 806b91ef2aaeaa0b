import { parseEntityRef } from '@backstage/catalog-model';
import { FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CostReport,
  EntityCostResponse,
  EntityDeploymentsResponse,
  MetricsResponse,
  OverviewResponse,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { DeployOverviewRequest, PlatformDeployApi } from './PlatformDeployApi';

function toQuery(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `?${query}` : '';
}

/**
 * {@link PlatformDeployApi} over HTTP. It asks for `plugin://platform-deploy/...`: the
 * app's fetchApi resolves the plugin protocol through discovery and adds the
 * user's token.
 *
 * @public
 */
export class PlatformDeployClient implements PlatformDeployApi {
  private readonly fetchApi: FetchApi;

  constructor(options: { fetchApi: FetchApi }) {
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc PlatformDeployApi.getOverview} */
  getOverview(request: DeployOverviewRequest = {}): Promise<OverviewResponse> {
    return this.request(`/v1/overview${toQuery(request)}`);
  }

  /** {@inheritDoc PlatformDeployApi.getEntityDeployments} */
  getEntityDeployments(
    entityRef: string,
    page: { environment?: string; limit?: number; offset?: number } = {},
  ): Promise<EntityDeploymentsResponse> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = [kind, namespace, name].map(encodeURIComponent).join('/');
    return this.request(`/v1/entities/${path}${toQuery(page)}`);
  }

  /** {@inheritDoc PlatformDeployApi.getMetrics} */
  getMetrics(
    request: { entityRef?: string; system?: string; windowDays?: number } = {},
  ): Promise<MetricsResponse> {
    return this.request(`/v1/metrics${toQuery(request)}`);
  }

  /** {@inheritDoc PlatformDeployApi.getCosts} */
  getCosts(): Promise<CostReport> {
    return this.request('/v1/costs');
  }

  /** {@inheritDoc PlatformDeployApi.getEntityCost} */
  getEntityCost(entityRef: string): Promise<EntityCostResponse> {
    return this.request(`/v1/costs${toQuery({ entityRef })}`);
  }

  private async request<T>(path: string): Promise<T> {
    const response = await this.fetchApi.fetch(
      `plugin://platform-deploy${path}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
