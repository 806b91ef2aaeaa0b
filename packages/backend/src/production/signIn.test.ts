/*
 * The production config signs users in with GitHub only: the backend must
 * have that provider installed, or nobody can sign in. The OAuth start is
 * answered by the real auth backend with a redirect to GitHub (GitHub itself
 * is not called). The provider's settings are the production config's, as
 * the real config loader reads them (the client secret from its file).
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { backendFeatures } from '../features';
import {
  productionEnv,
  productionFiles,
  writeProductionSecrets,
} from './__testUtils__/productionSecrets';

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../../../..');

describe('production sign-in', () => {
  const production = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.production.yaml'), 'utf8'),
  );

  let secretsDir: string;
  beforeAll(() => {
    secretsDir = writeProductionSecrets({
      'github-client-secret': 'sign-in-test-secret',
    });
  });
  afterAll(() => fs.rmSync(secretsDir, { recursive: true, force: true }));

  it('offers GitHub, and the backend has its provider installed', async () => {
    expect(production.app.signIn.providers).toEqual(['github']);
    const env: Record<string, string> = {
      ...productionEnv,
      PORTAL_SECRETS_DIR: secretsDir,
      AUTH_GITHUB_CLIENT_ID: 'sign-in-test-client',
    };
    const { appConfigs } = await loadConfig({
      configRoot: repoRoot,
      configTargets: productionFiles.map(f => ({
        path: path.join(repoRoot, f),
      })),
      experimentalEnvFunc: async name => env[name],
    });
    const auth = ConfigReader.fromConfigs(appConfigs).getConfig('auth');
    expect(auth.getString('providers.github.production.clientSecret')).toBe(
      'sign-in-test-secret',
    );
    const { server } = await startTestBackend({
      features: [
        ...backendFeatures,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              ...auth.get<object>(),
              session: { secret: 'sign-in-test-session-secret' },
            },
            techdocs: { builder: 'external', publisher: { type: 'local' } },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [{ type: 'config', clusters: [] }],
            },
            platformDeploy: { healthProbe: { enabled: false } },
          },
        }),
      ],
    });
    const res = await request(server).get(
      '/api/auth/github/start?env=production&scope=read:user',
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(
      /^https:\/\/github\.com\/login\/oauth\/authorize\?.*client_id=sign-in-test-client/,
    );
  });
});
