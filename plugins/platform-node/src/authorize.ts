import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * What to authorize: a basic permission, or a resource permission on one
 * resource (an entity ref for catalog-entity permissions).
 *
 * @public
 */
export type AuthorizeRequest =
  | { permission: BasicPermission }
  | { permission: ResourcePermission; resourceRef: string };

/**
 * Asks the permission framework for one decision and throws
 * `NotAllowedError` (403) unless it is ALLOW. Conditional decisions are
 * resolved by the permission backend because a `resourceRef` is given.
 * The error says which permission was missing, or `message` when given.
 *
 * @public
 */
export async function authorize(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  request: AuthorizeRequest,
  message?: string,
): Promise<void> {
  const [decision] = await permissions.authorize([request], { credentials });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      message ?? `Not allowed: ${request.permission.name}`,
    );
  }
}
