/*
 * What the production config (app-config.yaml + app-config.production.yaml)
 * needs to start: its variables (nothing secret) and its secret files, which
 * the tests write into a temporary directory and point PORTAL_SECRETS_DIR at,
 * as deploy/kubernetes mounts the Secrets at /var/run/secrets/platform-portal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

export const productionFiles = [
  'app-config.yaml',
  'app-config.production.yaml',
];

/** Every variable the production config needs, with a dummy value. */
export const productionEnv: Record<string, string> = {
  PORTAL_BASE_URL: 'https://portal.example.com',
  POSTGRES_HOST: 'db',
  POSTGRES_USER: 'backstage',
  AUTH_GITHUB_CLIENT_ID: 'id',
  K8S_CLUSTER_URL: 'https://k8s.example.com',
  TECHDOCS_S3_BUCKET: 'techdocs',
  TECHDOCS_S3_REGION: 'auto',
  TECHDOCS_S3_ENDPOINT: 'https://s3.example.com',
  HEALTH_ALERTMANAGER_URL: 'http://alertmanager.example.com:9093',
  HEALTH_PROMETHEUS_URL: 'http://prometheus.example.com:9090',
};

/** Every secret file the production config reads, with a dummy value. */
export const productionSecrets: Record<string, string> = {
  'backend-secret': 'test-backend-secret-0123456789abcdef',
  'postgres-password': 'test-postgres-password',
  'redis-url': 'redis://127.0.0.1:6379',
  'github-client-secret': 'test-github-client-secret',
  'github-token': 'test-github-token',
  'k8s-service-account-token': 'test-k8s-service-account-token',
  'k8s-cluster-ca-data': 'dGVzdC1jYS1kYXRh',
  'ingest-token': 'test-ingest-token-0123456789',
  'github-webhook-secret': 'test-github-webhook-secret',
  'techdocs-s3-access-key-id': 'test-techdocs-access-key-id',
  'techdocs-s3-secret-access-key': 'test-techdocs-secret-access-key',
  'health-webhook-token': 'test-health-webhook-token-0123456789',
};

/**
 * Writes the secret files (each with a trailing newline, as `kubectl create
 * secret --from-file` often leaves one) into a new temporary directory, and
 * returns it: set PORTAL_SECRETS_DIR to it.
 */
export function writeProductionSecrets(
  overrides: Record<string, string> = {},
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-secrets-'));
  for (const [name, value] of Object.entries({
    ...productionSecrets,
    ...overrides,
  })) {
    fs.writeFileSync(path.join(dir, name), `${value}\n`, { mode: 0o600 });
  }
  return dir;
}

/**
 * A production backend on this machine: the local PostgreSQL and Redis,
 * and an S3 server (s3rver, in this process) as the TechDocs bucket that CI
 * publishes to. Returns the environment and the secrets directory to start
 * the backend with (the replicas' test, the image's test); `close` stops
 * the bucket and removes what it wrote.
 */
export async function startLocalProduction(options: {
  /** PostgreSQL connection string of the machine's server */
  postgres: string;
  redisUrl: string;
  /** where the backend listens: its base URL */
  port: number;
  secrets?: Record<string, string>;
}): Promise<{
  env: Record<string, string>;
  secretsDir: string;
  close(): Promise<void>;
}> {
  // s3rver ships without types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver');
  const url = new URL(options.postgres);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-techdocs-'));
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'techdocs' }],
  });
  const { port: s3Port } = await s3.run();
  const secretsDir = writeProductionSecrets({
    'postgres-password': decodeURIComponent(url.password) || 'unused',
    'redis-url': options.redisUrl,
    'techdocs-s3-access-key-id': 'S3RVER',
    'techdocs-s3-secret-access-key': 'S3RVER',
    ...options.secrets,
  });
  return {
    env: {
      ...productionEnv,
      PORTAL_BASE_URL: `http://127.0.0.1:${options.port}`,
      POSTGRES_HOST: url.hostname,
      POSTGRES_PORT: url.port || '5432',
      POSTGRES_USER: decodeURIComponent(url.username || 'postgres'),
      K8S_CLUSTER_URL: 'https://127.0.0.1:1',
      TECHDOCS_S3_BUCKET: 'techdocs',
      TECHDOCS_S3_REGION: 'us-east-1',
      TECHDOCS_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      TECHDOCS_S3_FORCE_PATH_STYLE: 'true',
    },
    secretsDir,
    async close() {
      await s3.close();
      for (const d of [dir, secretsDir]) {
        fs.rmSync(d, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Drops the databases of a test's backends (every plugin's database is
 * `<prefix>plugin_<id>` with `backend.database.prefix`) on the machine's
 * PostgreSQL.
 */
export async function dropDatabasesWithPrefix(
  postgres: string,
  prefix: string,
): Promise<void> {
  const admin = knexFactory({
    client: 'pg',
    connection: `${postgres.replace(/\/[^/]*$/, '')}/postgres`,
  });
  try {
    const { rows } = await admin.raw(
      `select datname from pg_database where datname like ?`,
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.destroy();
  }
}
