import { Entity } from '@backstage/catalog-model';

/**
 * True for Components: the readiness checks (deploys, backups, catalog,
 * docs) are about services, websites and the like; the cards say so when a
 * component was not evaluated yet.
 *
 * @public
 */
export function isReadinessAvailable(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}
