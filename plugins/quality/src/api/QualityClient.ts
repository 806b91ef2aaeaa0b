import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { FetchApi } from '@backstage/core-plugin-api';
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

/**
 * {@link QualityApi} over HTTP. It asks for `plugin://code-coverage/...` and
 * `plugin://image-scans/...`: the app's fetchApi resolves the plugin protocol
 * through discovery and adds the user's token.
 *
 * @public
 */
export class QualityClient implements QualityApi {
  private readonly fetchApi: FetchApi;

  constructor(options: { fetchApi: FetchApi }) {
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc QualityApi.getCoverage} */
  async getCoverage(entityRef: string): Promise<CoverageReport | undefined> {
    const query = new URLSearchParams({ entity: fullRef(entityRef) });
    const response = await this.fetchApi.fetch(
      `plugin://code-coverage/report?${query}`,
    );
    // the code-coverage backend answers 404 for an entity with no report yet
    return response.status === 404 ? undefined : this.json(response);
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
    return this.json(
      await this.fetchApi.fetch(`plugin://code-coverage/history?${query}`),
    );
  }

  /** {@inheritDoc QualityApi.getImageScans} */
  async getImageScans(entityRef: string): Promise<EntityScansResponse> {
    return this.json(
      await this.fetchApi.fetch(
        `plugin://image-scans/v1/entities/${entityPath(entityRef)}`,
      ),
    );
  }

  private async json<T>(response: Response): Promise<T> {
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
