/**
 * Which GitOps directory a rollback or promotion may change: the one of the
 * catalog entity it is for, read from the catalog, from a trusted location,
 * and asked for by a user. Shared by `platform:gitops:locate` (which the
 * templates run to know what to fetch) and `platform:gitops:set-image`
 * (which changes it), so the two can never disagree.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_ORIGIN_LOCATION,
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  Entity,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TrustedLocations } from '@platform-portal/backstage-plugin-platform-node';
import { assertDnsName } from '../../validation';

/**
 * The catalog and the trusted locations, as the module wires them.
 *
 * @public
 */
export interface GitopsTargetOptions {
  /** The catalog the entity is read from, with the initiator's credentials. */
  catalog: CatalogService;
  /** The locations whose entities may drive production changes. */
  trustedLocations: TrustedLocations;
}

/** A service's place in the GitOps repository. */
export interface GitopsTarget {
  /** The entity, as the catalog has it. */
  entity: Entity;
  /** Its ref, `component:<namespace>/<name>`. */
  entityRef: string;
  /** The service's name in the overlay files (`<name>-blue`, Compose). */
  name: string;
  /** `apps/<name>` in the default namespace, `apps/<namespace>/<name>` elsewhere. */
  appPath: string;
}

/**
 * The GitOps layout: `apps/<name>` for the default namespace (the layout
 * `platform:gitops:render` writes), `apps/<namespace>/<name>` for any other.
 * The overlay files sit one level deeper in the second form, so no entity of
 * another namespace reaches a default one's files, whatever the names.
 */
export function gitopsAppPath(namespace: string, name: string): string {
  return namespace === DEFAULT_NAMESPACE
    ? `apps/${name}`
    : `apps/${namespace}/${name}`;
}

const entityValidator = makeValidator();

/**
 * `component:default/quote-backend` from what a user typed, or a 400: kind,
 * namespace and name each as the catalog allows them (`parseEntityRef`
 * alone takes any characters, newlines included), so a hostile ref never
 * reaches the catalog, a path or a message.
 */
export function normalizeEntityRef(value: string): string {
  const refusal = new InputError(
    `entityRef must be an entity reference such as component:default/quote-backend, got ${JSON.stringify(
      value.slice(0, 200),
    )}`,
  );
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(value, { defaultKind: 'component' });
  } catch {
    throw refusal;
  }
  if (
    !entityValidator.isValidKind(ref.kind) ||
    !entityValidator.isValidNamespace(ref.namespace) ||
    !entityValidator.isValidEntityName(ref.name)
  ) {
    throw refusal;
  }
  return stringifyEntityRef(ref);
}

/**
 * Refuses anything but a user: production changes are made by people, each
 * recorded in the pull request. A plugin's or an external service's
 * credentials pass every permission check (the framework allows services
 * without asking a policy), so they must not reach one here.
 */
export function assertUserPrincipal(
  credentials: BackstageCredentials,
  entityRef: string,
): void {
  const principal = credentials.principal as { type?: string };
  if (principal?.type !== 'user') {
    throw new NotAllowedError(
      `Only a signed-in user may change what runs for ${entityRef}; this task was started by a ${
        principal?.type ?? 'caller without identity'
      } principal`,
    );
  }
}

/**
 * Reads the entity from the catalog with the initiator's credentials and
 * returns its GitOps directory. Refuses a missing entity, one that is not a
 * Component, and one whose origin location is not trusted
 * (`catalog.locations` or `platformPortal.trustedLocations`): any signed-in
 * user may register a location, and what it brings is shown, never acted on.
 */
export async function resolveGitopsTarget(
  options: GitopsTargetOptions,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<GitopsTarget> {
  const entity = await options.catalog.getEntityByRef(entityRef, {
    credentials,
  });
  if (!entity) {
    throw new NotFoundError(
      `${entityRef} is not in the catalog; rollback and promotion are for registered components`,
    );
  }
  if (entity.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `entityRef: ${entityRef} is a ${entity.kind}; rollback and promotion are for Components`,
    );
  }
  if (!options.trustedLocations.isTrusted(entity)) {
    const origin =
      entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION] ?? 'nowhere';
    throw new NotAllowedError(
      `${entityRef} comes from ${origin}, which is not a trusted location; only entities from the portal's own catalog locations (catalog.locations, platformPortal.trustedLocations) drive production changes`,
    );
  }
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const name = assertDnsName('entityRef (its name)', entity.metadata.name);
  if (namespace !== DEFAULT_NAMESPACE) {
    assertDnsName('entityRef (its namespace)', namespace);
  }
  return {
    entity,
    entityRef: stringifyEntityRef(entity),
    name,
    appPath: gitopsAppPath(namespace, name),
  };
}
