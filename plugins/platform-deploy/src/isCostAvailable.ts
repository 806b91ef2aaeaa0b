import { Entity } from '@backstage/catalog-model';

/**
 * True for Components: every component is in the cost model (one that runs on
 * no server, such as a mobile app, costs nothing and the card says so).
 *
 * @public
 */
export function isCostAvailable(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}
