/*
 * Both configurations validate against the schemas of every installed
 * package, strictly (no unknown keys), through the real Backstage CLI.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');

function configCheck(files: string[], env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    [
      require.resolve('@backstage/cli/bin/backstage-cli'),
      'config:check',
      '--strict',
      ...files.flatMap(f => ['--config', f]),
    ],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 90_000,
    },
  );
}

describe('app-config schemas', () => {
  it('the embedded default is valid', () => {
    const result = configCheck(['app-config.yaml'], {
      PLATFORM_INGEST_TOKEN: 'ingest-token-0123456789',
    });
    expect(result.stderr).not.toContain('does not match schema');
    expect(result.status).toBe(0);
  }, 100_000);

  it('the production config is valid', () => {
    const env = {
      PORTAL_BASE_URL: 'https://portal.example.com',
      BACKEND_SECRET: 'x'.repeat(32),
      POSTGRES_HOST: 'db',
      POSTGRES_USER: 'backstage',
      POSTGRES_PASSWORD: 'pw',
      REDIS_URL: 'redis://redis:6379',
      AUTH_GITHUB_CLIENT_ID: 'id',
      AUTH_GITHUB_CLIENT_SECRET: 'secret',
      GITHUB_TOKEN: 'ghp_x',
      K8S_CLUSTER_URL: 'https://k8s.example.com',
      K8S_SERVICE_ACCOUNT_TOKEN: 'token',
      K8S_CLUSTER_CA_DATA: 'ca',
      PLATFORM_INGEST_TOKEN: 'ingest-token-0123456789',
      PLATFORM_GITHUB_WEBHOOK_SECRET: 'webhook-secret',
    };
    const result = configCheck(
      ['app-config.yaml', 'app-config.production.yaml'],
      env,
    );
    expect(result.stderr).not.toContain('does not match schema');
    expect(result.status).toBe(0);
  }, 100_000);
});
