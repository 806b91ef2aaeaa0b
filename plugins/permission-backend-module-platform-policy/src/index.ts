/**
 * The platform portal's permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModulePlatformPolicy as default } from './module';
export { PlatformPermissionPolicy } from './PlatformPermissionPolicy';
export type { PlatformPolicyOptions } from './PlatformPermissionPolicy';
export { PERMISSION_RULES } from './rules';
export type { PermissionHolder, PermissionRule } from './rules';
