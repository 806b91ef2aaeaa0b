import { Entity } from '@backstage/catalog-model';

/**
 * True for Components: coverage and image scans are about the services,
 * websites and libraries that CI builds; the tab tells how to report when
 * nothing was reported yet.
 *
 * @public
 */
export function isQualityAvailable(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}
