/*
 * What the benches' test backends share: the catalog fed a fixed set of
 * entities by a provider (no file processing), and a PostgreSQL
 * configuration whose databases (one per plugin, under a prefix) start empty.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import knexFactory from 'knex';

/** The local PostgreSQL the benches use (`BENCH_PG_URL`, no database name). */
export const BENCH_PG =
  process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

/** A catalog module whose provider applies `entities` in one full mutation. */
export function benchEntityProvider(
  entities: Entity[],
  moduleId = 'bench-entities',
) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'bench',
            async connect(connection) {
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity,
                  locationKey: 'bench',
                })),
              });
            },
          });
        },
      });
    },
  });
}

/**
 * `backend.database` for PostgreSQL with the plugins' databases under
 * `prefix`, after dropping every database an earlier run left under it.
 */
export async function freshPostgresConfig(prefix: string, pg = BENCH_PG) {
  const admin = knexFactory({ client: 'pg', connection: `${pg}/postgres` });
  const { rows } = await admin.raw(
    `select datname from pg_database where datname like ?`,
    [`${prefix}%`],
  );
  for (const { datname } of rows) {
    await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.destroy();
  const url = new URL(pg);
  return {
    client: 'pg',
    prefix,
    connection: {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username || 'postgres'),
      password: decodeURIComponent(url.password),
    },
  };
}
