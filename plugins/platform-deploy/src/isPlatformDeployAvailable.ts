import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_ENVIRONMENTS } from '@platform-portal/backstage-plugin-platform-deploy-common';

/**
 * True when the entity is a Component that declares the environments it is
 * deployed to (annotation `platform-portal.dev/environments`).
 *
 * @public
 */
export function isPlatformDeployAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    Boolean(entity.metadata.annotations?.[ANNOTATION_ENVIRONMENTS])
  );
}
