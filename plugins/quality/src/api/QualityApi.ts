import { createApiRef } from '@backstage/core-plugin-api';
import { EntityScansResponse } from '@platform-portal/backstage-plugin-image-scans-common';
import {
  CoverageHistory,
  CoverageReport,
} from '@platform-portal/backstage-plugin-quality-common';

/**
 * Client of the two backends the Quality tab reads: the code-coverage backend
 * (the community plugin, behind the portal's read permission) and
 * image-scans.
 *
 * @public
 */
export interface QualityApi {
  /**
   * `GET /api/code-coverage/report?entity=`: the entity's latest coverage
   * report with its aggregate. Resolves `undefined` when none was reported
   * (404).
   */
  getCoverage(entityRef: string): Promise<CoverageReport | undefined>;
  /** `GET /api/code-coverage/history?entity=&limit=`: aggregates, newest first. */
  getCoverageHistory(
    entityRef: string,
    limit: number,
  ): Promise<CoverageHistory>;
  /**
   * `GET /api/image-scans/v1/entities/:kind/:namespace/:name`: per
   * environment the scan of the version live there.
   */
  getImageScans(entityRef: string): Promise<EntityScansResponse>;
}

/** Reference to the {@link QualityApi}. @public */
export const qualityApiRef = createApiRef<QualityApi>({
  id: 'plugin.quality.api',
});
