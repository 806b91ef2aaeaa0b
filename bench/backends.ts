/*
 * What the benches' test backends share: the catalog fed a fixed set of
 * entities by a provider (no file processing), and a PostgreSQL
 * configuration whose databases (one per plugin, under a prefix) start empty.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import knexFactory from 'knex';
import { ChildProcess, spawn, StdioOptions } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

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
  return postgresConfig(prefix, pg);
}

/** `backend.database` for PostgreSQL with the plugins' databases under `prefix`, as they are. */
export function postgresConfig(prefix: string, pg = BENCH_PG) {
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

const repoRoot = path.resolve(__dirname, '..');

/**
 * The portal's real backend (packages/backend from source, as `yarn start
 * backend` runs it) with app-config.yaml and `configFile` on top, in its own
 * process; `env` is added to a bare environment (PATH only).
 */
export function spawnPortalBackend(options: {
  configFile: string;
  env?: Record<string, string>;
  stdio?: StdioOptions;
}): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(repoRoot, 'packages/backend/src/index.ts'),
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      options.configFile,
    ],
    {
      // as `yarn start`: app-config.yaml's catalog files are relative to it
      cwd: path.join(repoRoot, 'packages/backend'),
      env: {
        PATH: process.env.PATH,
        GITHUB_TOKEN: 'unused-by-the-bench',
        ...options.env,
      },
      stdio: options.stdio ?? 'ignore',
    },
  );
}

/** A port free on loopback right now, for a server the bench starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
