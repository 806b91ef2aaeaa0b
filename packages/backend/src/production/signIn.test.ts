/*
 * The production config signs users in with GitHub only: the backend must
 * have that provider installed, or nobody can sign in. The OAuth start is
 * answered by the real auth backend with a redirect to GitHub (GitHub itself
 * is not called).
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { backendFeatures } from '../features';

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../../../..');

describe('production sign-in', () => {
  const production = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.production.yaml'), 'utf8'),
  );

  it('offers GitHub, and the backend has its provider installed', async () => {
    expect(production.app.signIn.providers).toEqual(['github']);
    const { server } = await startTestBackend({
      features: [
        ...backendFeatures,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              environment: 'production',
              session: { secret: 'sign-in-test-session-secret' },
              providers: {
                github: {
                  production: {
                    clientId: 'sign-in-test-client',
                    clientSecret: 'sign-in-test-secret',
                  },
                },
              },
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
