import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ENVIRONMENTS,
  healthUrlAnnotation,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import { TrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import { DeployableEntity } from '../types';

/**
 * Maps a catalog Component to what the store keeps of it, with whether it
 * comes from a trusted location (its origin location, which the catalog
 * writes itself).
 */
export function toDeployableEntity(
  entity: Entity,
  environments: string[],
  trustedLocations: TrustedLocations,
): DeployableEntity {
  const annotations = entity.metadata.annotations ?? {};
  const declared = annotations[ANNOTATION_ENVIRONMENTS]?.split(',')
    .map(e => e.trim())
    .filter(e => environments.includes(e));
  const envs = declared?.length ? declared : environments;
  const healthUrls: Record<string, string> = {};
  for (const env of envs) {
    const url = annotations[healthUrlAnnotation(env)];
    if (url) healthUrls[env] = url;
  }
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  // A relative ref in an entity's spec is in the entity's own namespace, as
  // the catalog reads it (`owner: team-a` of `component:shop/web` is
  // `group:shop/team-a`).
  const ref = (value: unknown, kind: string) =>
    typeof value === 'string'
      ? stringifyEntityRef(
          parseEntityRef(value, {
            defaultKind: kind,
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        )
      : undefined;
  return {
    entityRef: stringifyEntityRef(entity),
    name: entity.metadata.name,
    title: entity.metadata.title,
    system: typeof spec.system === 'string' ? spec.system : undefined,
    owner: ref(spec.owner, 'group'),
    type: typeof spec.type === 'string' ? spec.type : undefined,
    environments: envs,
    healthUrls,
    trusted: trustedLocations.isTrusted(entity),
  };
}

/**
 * The catalog as this plugin reads it: Components, as deployable entities,
 * read with the plugin's own credentials.
 */
export interface DeployableEntityCatalog {
  /** Every Component of the catalog (the periodic sync). */
  listComponents(): Promise<DeployableEntity[]>;
  /** The Components among `entityRefs` that exist, in one call. */
  getComponents(entityRefs: string[]): Promise<DeployableEntity[]>;
}

export function createDeployableEntityCatalog(options: {
  catalog: CatalogService;
  auth: AuthService;
  /** The configured environments: an entity is deployed to those it declares among them. */
  environments: string[];
  /** Which locations' entities are trusted (health-probed). */
  trustedLocations: TrustedLocations;
}): DeployableEntityCatalog {
  const { catalog, auth, environments, trustedLocations } = options;
  const credentials = () => auth.getOwnServiceCredentials();
  return {
    async listComponents() {
      const { items } = await catalog.getEntities(
        { filter: { kind: 'component' } },
        { credentials: await credentials() },
      );
      return items.map(e =>
        toDeployableEntity(e, environments, trustedLocations),
      );
    },
    async getComponents(entityRefs) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs },
        { credentials: await credentials() },
      );
      return items
        .filter((e): e is Entity => e?.kind.toLowerCase() === 'component')
        .map(e => toDeployableEntity(e, environments, trustedLocations));
    },
  };
}
