import { parseEntityRef } from '@backstage/catalog-model';
import { FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BackupOverviewResponse,
  EntityBackupDetails,
} from '@platform-portal/backstage-plugin-backup-status-common';
import { BackupStatusApi, OverviewRequest } from './BackupStatusApi';

/**
 * {@link BackupStatusApi} over HTTP. It asks for `plugin://backup-status/...`: the
 * app's fetchApi resolves the plugin protocol through discovery and adds the
 * user's token.
 *
 * @public
 */
export class BackupStatusClient implements BackupStatusApi {
  private readonly fetchApi: FetchApi;

  constructor(options: { fetchApi: FetchApi }) {
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc BackupStatusApi.getOverview} */
  getOverview(request: OverviewRequest = {}): Promise<BackupOverviewResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(request)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const query = params.toString();
    return this.request(`/v1/overview${query ? `?${query}` : ''}`);
  }

  /** {@inheritDoc BackupStatusApi.getEntityDetails} */
  getEntityDetails(
    entityRef: string,
    page: { limit?: number; offset?: number } = {},
  ): Promise<EntityBackupDetails> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const params = new URLSearchParams();
    if (page.limit !== undefined) params.set('limit', String(page.limit));
    if (page.offset !== undefined) params.set('offset', String(page.offset));
    const query = params.toString();
    return this.request(
      `/v1/entities/${[kind, namespace, name]
        .map(encodeURIComponent)
        .join('/')}${query ? `?${query}` : ''}`,
    );
  }

  private async request<T>(path: string): Promise<T> {
    const response = await this.fetchApi.fetch(`plugin://backup-status${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
