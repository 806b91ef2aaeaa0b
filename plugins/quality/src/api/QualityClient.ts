import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityScansResponse } from '@platform-portal/backstage-plugin-image-scans-common';
import {
  CoverageHistory,
  CoverageReport,
} from '@platform-portal/backstage-plugin-quality-common';
import { QualityApi } from './QualityApi';

/** The full lowercase-kind ref the code-coverage backend stores reports under. */
function fullRef(entityRef: string): string {
  return stringifyEntityRef(parseEntityRef(entityRef));
}

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

/** {@link QualityApi} over HTTP. @public */
export class QualityClient implements QualityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc QualityApi.getCoverage} */
  async getCoverage(entityRef: string): Promise<CoverageReport | undefined> {
    const query = new URLSearchParams({ entity: fullRef(entityRef) });
    const response = await this.request('code-coverage', `/report?${query}`, {
      notFound: 'undefined',
    });
    return response?.json();
  }

  /** {@inheritDoc QualityApi.getCoverageHistory} */
  async getCoverageHistory(
    entityRef: string,
    limit: number,
  ): Promise<CoverageHistory> {
    const query = new URLSearchParams({
      entity: fullRef(entityRef),
      limit: String(limit),
    });
    return (await this.request('code-coverage', `/history?${query}`)).json();
  }

  /** {@inheritDoc QualityApi.getImageScans} */
  async getImageScans(entityRef: string): Promise<EntityScansResponse> {
    return (
      await this.request('image-scans', `/v1/entities/${entityPath(entityRef)}`)
    ).json();
  }

  private async request(pluginId: string, path: string): Promise<Response>;
  private async request(
    pluginId: string,
    path: string,
    options: { notFound: 'undefined' },
  ): Promise<Response | undefined>;
  private async request(
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
