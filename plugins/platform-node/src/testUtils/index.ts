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
