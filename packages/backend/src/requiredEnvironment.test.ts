import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  configFilesFromArgv,
  findMissingVariables,
  referencedVariables,
} from './requiredEnvironment';

const repoRoot = path.resolve(__dirname, '../../..');
const productionFiles = ['app-config.yaml', 'app-config.production.yaml'];

/** Every variable the production config needs, with a dummy value. */
const productionEnv = {
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

describe('referencedVariables', () => {
  it('finds substitutions with their config path, skipping fallbacks, escapes and comments', () => {
    const refs = referencedVariables(`
# token: \${IN_A_COMMENT}
backend:
  database:
    connection:
      password: \${POSTGRES_PASSWORD}
      port: \${POSTGRES_PORT:-5432}
  note: $\${ESCAPED}
list:
  - url: https://\${HOST}/api
`);
    expect(refs).toEqual([
      {
        name: 'POSTGRES_PASSWORD',
        configPath: 'backend.database.connection.password',
      },
      { name: 'HOST', configPath: 'list.url' },
    ]);
  });
});

describe('configFilesFromArgv', () => {
  it('reads both --config forms', () => {
    expect(
      configFilesFromArgv([
        'node',
        'x',
        '--config',
        'a.yaml',
        '--config=b.yaml',
      ]),
    ).toEqual(['a.yaml', 'b.yaml']);
  });
});

describe('the production config', () => {
  it('needs exactly the documented variables', () => {
    expect(
      findMissingVariables(productionFiles, productionEnv, repoRoot),
    ).toEqual([]);
    const missing = findMissingVariables(productionFiles, {}, repoRoot).map(
      m => m.name,
    );
    expect(new Set(missing)).toEqual(new Set(Object.keys(productionEnv)));
  });

  it('stops the real backend at start, naming the missing secret', () => {
    const { POSTGRES_PASSWORD, ...withoutPassword } = productionEnv;
    const started = Date.now();
    const result = spawnSync(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(repoRoot, 'packages/backend/src/index.ts'),
        ...productionFiles.flatMap(f => ['--config', f]),
      ],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, ...withoutPassword },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(78);
    expect(result.stderr).toContain(
      'POSTGRES_PASSWORD (backend.database.connection.password in app-config.production.yaml)',
    );
    // it fails before any plugin starts or any database is contacted
    expect(result.stdout).not.toContain('Plugin initialization');
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 70_000);
});
