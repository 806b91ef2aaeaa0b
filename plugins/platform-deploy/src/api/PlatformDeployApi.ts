import { createApiRef } from '@backstage/core-plugin-api';
import {
  CostReport,
  EntityCostResponse,
  EntityDeploymentsResponse,
  MetricsResponse,
  OverviewResponse,
} from '@platform-portal/backstage-plugin-platform-deploy-common';

/** Filters, sorting and pagination of the overview. @public */
export interface DeployOverviewRequest {
  system?: string;
  owner?: string;
  type?: string;
  status?: string;
  q?: string;
  orderBy?: 'name' | 'system' | 'owner' | 'type';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

/** Client of the platform-deploy backend. @public */
export interface PlatformDeployApi {
  getOverview(request?: DeployOverviewRequest): Promise<OverviewResponse>;
  getEntityDeployments(
    entityRef: string,
    page?: { environment?: string; limit?: number; offset?: number },
  ): Promise<EntityDeploymentsResponse>;
  getMetrics(request?: {
    entityRef?: string;
    system?: string;
    windowDays?: number;
  }): Promise<MetricsResponse>;
  /** The cost report: current scenario and what-ifs (`GET /v1/costs`). */
  getCosts(): Promise<CostReport>;
  /** One component's monthly cost (`GET /v1/costs?entityRef=`). */
  getEntityCost(entityRef: string): Promise<EntityCostResponse>;
}

/** @public */
export const platformDeployApiRef = createApiRef<PlatformDeployApi>({
  id: 'plugin.platform-deploy.api',
});
