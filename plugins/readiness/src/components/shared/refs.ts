import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';

/**
 * A ref as the catalog writes it in a spec (`chat`, `default/chat`,
 * `system:chat`), with the kind it has there by default, made whole for
 * `EntityRefLink` (which does not fill in a kind from a string).
 */
export function toCompoundRef(
  ref: string,
  defaultKind: string,
): CompoundEntityRef {
  return parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' });
}
