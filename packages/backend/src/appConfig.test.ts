/*
 * Both configurations validate against the schemas of every installed
 * package, strictly (no unknown keys), through the real Backstage CLI.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  productionEnv,
  productionFiles,
  productionSecrets,
  writeProductionSecrets,
} from './production/__testUtils__/productionSecrets';

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

  it('the production config is valid, its secrets read from files', () => {
    const secretsDir = writeProductionSecrets();
    try {
      const result = configCheck(productionFiles, {
        ...productionEnv,
        PORTAL_SECRETS_DIR: secretsDir,
      });
      expect(result.stderr).not.toContain('does not match schema');
      expect(result.status).toBe(0);
      // config:check prints nothing of the secrets it read
      for (const secret of Object.values(productionSecrets)) {
        expect(result.stdout + result.stderr).not.toContain(secret);
      }
    } finally {
      fs.rmSync(secretsDir, { recursive: true, force: true });
    }
  }, 100_000);
});
