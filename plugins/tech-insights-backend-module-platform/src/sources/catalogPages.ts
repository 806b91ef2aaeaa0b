import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Entities per page of the catalog query. */
const PAGE_SIZE = 1000;

/**
 * Every entity of a kind with only the fields asked for, in one paged
 * catalog query (cursor pagination: each page is one indexed query of the
 * catalog's tables; 10,000 components are 10 pages).
 */
export async function queryAllEntities(options: {
  catalog: CatalogService;
  auth: AuthService;
  kind: string;
  fields: string[];
}): Promise<Entity[]> {
  const { catalog, auth } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const entities: Entity[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, limit: PAGE_SIZE, fields: options.fields }
        : {
            filter: { kind: options.kind },
            limit: PAGE_SIZE,
            fields: options.fields,
            orderFields: { field: 'metadata.name', order: 'asc' },
          },
      { credentials },
    );
    entities.push(...page.items);
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return entities;
}
