import { parseEntityRef } from '@backstage/catalog-model';
import { FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CreatedSilence,
  CreateSilenceRequest,
  EntityUptime,
  HealthOverview,
} from '@platform-portal/backstage-plugin-health-common';
import { EntityAlerts, EntityIncidents, HealthApi } from './HealthApi';

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

/**
 * {@link HealthApi} over HTTP. It asks for `plugin://health/...`: the
 * app's fetchApi resolves the plugin protocol through discovery and adds the
 * user's token.
 *
 * @public
 */
export class HealthClient implements HealthApi {
  private readonly fetchApi: FetchApi;

  constructor(options: { fetchApi: FetchApi }) {
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc HealthApi.getAlerts} */
  getAlerts(entityRef: string): Promise<EntityAlerts> {
    return this.request(`/v1/entities/${entityPath(entityRef)}/alerts`);
  }

  /** {@inheritDoc HealthApi.getIncidents} */
  getIncidents(entityRef: string): Promise<EntityIncidents> {
    return this.request(`/v1/entities/${entityPath(entityRef)}/incidents`);
  }

  /** {@inheritDoc HealthApi.getUptime} */
  getUptime(entityRef: string): Promise<EntityUptime> {
    return this.request(`/v1/entities/${entityPath(entityRef)}/uptime`);
  }

  /** {@inheritDoc HealthApi.getOverview} */
  getOverview(options?: { q?: string }): Promise<HealthOverview> {
    const query = options?.q ? `?${new URLSearchParams({ q: options.q })}` : '';
    return this.request(`/v1/overview${query}`);
  }

  /** {@inheritDoc HealthApi.createSilence} */
  createSilence(
    entityRef: string,
    request: CreateSilenceRequest,
  ): Promise<CreatedSilence> {
    return this.request(`/v1/entities/${entityPath(entityRef)}/silences`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.fetchApi.fetch(`plugin://health${path}`, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
