import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ReadinessEntity, ReadinessEntitySource } from './types';

const PAGE_SIZE = 1000;

/** The one place a catalog entity becomes what readiness keeps of it. */
export function toReadinessEntity(entity: Entity): ReadinessEntity {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const owner = entity.relations?.find(r => r.type === 'ownedBy')?.targetRef;
  return {
    entityRef: stringifyEntityRef(entity),
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    ...(typeof spec.system === 'string' ? { system: spec.system } : {}),
    ...(owner ? { owner } : {}),
  };
}

/**
 * Every Component of the catalog, with the plugin's own credentials, in
 * one paged query of the few fields readiness shows.
 */
export function createCatalogEntitySource(options: {
  catalog: CatalogService;
  auth: AuthService;
}): ReadinessEntitySource {
  return {
    async listEntities() {
      const credentials = await options.auth.getOwnServiceCredentials();
      const fields = [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.title',
        'spec.system',
        'relations',
      ];
      const entities: ReadinessEntity[] = [];
      let cursor: string | undefined;
      do {
        const page = await options.catalog.queryEntities(
          cursor
            ? { cursor, limit: PAGE_SIZE, fields }
            : {
                filter: { kind: 'component' },
                limit: PAGE_SIZE,
                fields,
                orderFields: { field: 'metadata.name', order: 'asc' },
              },
          { credentials },
        );
        entities.push(...page.items.map(toReadinessEntity));
        cursor = page.pageInfo.nextCursor;
      } while (cursor);
      return entities;
    },
  };
}
