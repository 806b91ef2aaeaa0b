/**
 * Test helpers shared by the portal's backend packages.
 *
 * @packageDocumentation
 */
export {
  POSTGRES_ENV,
  describeWithPostgres,
  testPostgresConnection,
} from './postgres';
export { portalTestConfig, waitForCatalog } from './portalTestConfig';
export type { TestStaticToken } from './portalTestConfig';
export { memberAuthServices } from './memberAuth';
