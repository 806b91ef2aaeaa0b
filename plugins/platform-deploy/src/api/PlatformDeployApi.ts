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
  /** Only services of this system. */
  system?: string;
  /** Only services with this owner. */
  owner?: string;
  /** Only services of this component type. */
  type?: string;
  /** Only services with an environment whose last event has this status. */
  status?: string;
  /** Case-insensitive search in the service's name and title. */
  q?: string;
  /** Column to sort by. */
  orderBy?: 'name' | 'system' | 'owner' | 'type';
  /** Sort direction. */
  order?: 'asc' | 'desc';
  /** Page size. */
  limit?: number;
  /** Number of items to skip. */
  offset?: number;
}

/** Client of the platform-deploy backend. @public */
export interface PlatformDeployApi {
  /** Each service's state in every environment (`GET /v1/overview`). */
  getOverview(request?: DeployOverviewRequest): Promise<OverviewResponse>;
  /** One service's states and deployment history (`GET /v1/entities/:kind/:namespace/:name`). */
  getEntityDeployments(
    entityRef: string,
    page?: { environment?: string; limit?: number; offset?: number },
  ): Promise<EntityDeploymentsResponse>;
  /** DORA-style figures of a service, a system or everything (`GET /v1/metrics`). */
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

/**
 * Reference to the {@link PlatformDeployApi}.
 *
 * @public
 */
export const platformDeployApiRef = createApiRef<PlatformDeployApi>({
  id: 'plugin.platform-deploy.api',
});
