import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DeployedVersions, EntityOwners } from './types';

/** Services per page of platform-deploy's overview (its maximum). */
const OVERVIEW_PAGE = 500;

/**
 * Versions per environment from platform-deploy's
 * `GET /api/platform-deploy/v1/entities/:kind/:namespace/:name`, asked with
 * this plugin's own credentials (its states are public to signed-in users).
 */
export function platformDeployVersions(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}): DeployedVersions {
  return {
    async forEntity(entityRef) {
      const [kind, rest] = entityRef.split(':');
      const [namespace, name] = rest.split('/');
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await options.auth.getOwnServiceCredentials(),
        targetPluginId: 'platform-deploy',
      });
      const base = await options.discovery.getBaseUrl('platform-deploy');
      const path = [kind, namespace, name].map(encodeURIComponent).join('/');
      const res = await fetch(`${base}/v1/entities/${path}?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) {
        throw new Error(
          `platform-deploy answered ${res.status} for ${entityRef}`,
        );
      }
      const body = (await res.json()) as {
        environments: string[];
        states: Record<string, { version?: string; deployedAt?: string }>;
      };
      return { environments: body.environments, states: body.states };
    },

    async allIn(environment) {
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await options.auth.getOwnServiceCredentials(),
        targetPluginId: 'platform-deploy',
      });
      const base = await options.discovery.getBaseUrl('platform-deploy');
      const result: Array<{
        entityRef: string;
        version?: string;
        deployedAt?: string;
      }> = [];
      // the overview's pages of at most 500 services
      for (let offset = 0; ; offset += OVERVIEW_PAGE) {
        const res = await fetch(
          `${base}/v1/overview?limit=${OVERVIEW_PAGE}&offset=${offset}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        if (!res.ok) {
          throw new Error(`platform-deploy answered ${res.status} (overview)`);
        }
        const body = (await res.json()) as {
          items: Array<{
            entityRef: string;
            environments: Record<
              string,
              { version?: string; deployedAt?: string } | undefined
            >;
          }>;
          totalItems: number;
        };
        for (const item of body.items) {
          const state = item.environments[environment];
          result.push({
            entityRef: item.entityRef,
            ...(state?.version ? { version: state.version } : {}),
            ...(state?.deployedAt ? { deployedAt: state.deployedAt } : {}),
          });
        }
        if (body.items.length < OVERVIEW_PAGE) break;
        if (offset + OVERVIEW_PAGE >= body.totalItems) break;
      }
      return result;
    },
  };
}

/** Owners from the catalog, read with this plugin's own credentials. */
export function catalogOwners(options: {
  auth: AuthService;
  catalog: CatalogService;
}): EntityOwners {
  return {
    async ownerOf(entityRef) {
      const entity = await options.catalog.getEntityByRef(entityRef, {
        credentials: await options.auth.getOwnServiceCredentials(),
      });
      if (!entity) return { found: false };
      const owner = entity.relations?.find(
        r => r.type === RELATION_OWNED_BY,
      )?.targetRef;
      return { found: true, owner };
    },
  };
}
