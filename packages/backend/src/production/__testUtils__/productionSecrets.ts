/*
 * What the production config (app-config.yaml + app-config.production.yaml)
 * needs to start: its variables (nothing secret) and its secret files, which
 * the tests write into a temporary directory and point PORTAL_SECRETS_DIR at,
 * as deploy/kubernetes mounts the Secrets at /var/run/secrets/platform-portal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
