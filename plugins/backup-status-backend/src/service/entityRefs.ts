import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** Lower-case `kind:namespace/name`; throws `InputError` when not a full ref. */
export function normalizeEntityRef(ref: string, field = 'entityRef'): string {
  try {
    const parsed = parseEntityRef(ref, { defaultNamespace: 'default' });
    return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(
      `${field}: '${ref}' is not an entity ref like 'resource:default/chat-db'`,
    );
  }
}

/** The entity's ref in the lower-case form runs are stored under. */
export function entityRefOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** The entity's `spec.owner`, when it is a string. */
export function ownerOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  return typeof owner === 'string' ? owner : undefined;
}

/**
 * The entity's owner as a full lower-case ref (`group:default/team-a`): a
 * relative `spec.owner` is a group in the entity's own namespace, as the
 * catalog reads it. Undefined without a readable owner.
 */
export function ownerRefOf(entity: Entity): string | undefined {
  const owner = ownerOf(entity);
  if (!owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** Matches `team-a` against `team-a`, `group:team-a` and `group:default/team-a`. */
export function ownerMatches(entity: Entity, wanted: string): boolean {
  const owner = ownerOf(entity);
  if (!owner) return false;
  try {
    const a = parseEntityRef(owner, { defaultKind: 'group' });
    const b = parseEntityRef(wanted, { defaultKind: 'group' });
    return (
      stringifyEntityRef(a).toLocaleLowerCase('en-US') ===
      stringifyEntityRef(b).toLocaleLowerCase('en-US')
    );
  } catch {
    return false;
  }
}
