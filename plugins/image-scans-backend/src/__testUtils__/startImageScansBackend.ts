/*
 * The image-scans plugin over real HTTP with the real parts: Backstage's auth
 * services (static external-access tokens from config), the permission
 * backend with the portal's policy, the catalog backend reading a file
 * location, and platform-deploy-backend for the version live in each
 * environment. Shared by the plugin's tests and scripts/report-scan's.
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import platformPolicy from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
// The real deploy backend as the source of the version live per environment
// (a test-only wiring of two plugins, as a backend package does).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import platformDeployBackend from '@platform-portal/backstage-plugin-platform-deploy-backend';
import path from 'node:path';
import request from 'supertest';
import { imageScansPlugin } from '../plugin';

export const tokens = {
  chat: 'ci-chat-0123456789abcdef0123',
  billing: 'ci-billing-0123456789abcdef01',
  reader: 'reader-0123456789abcdef012345',
};
export const bearer = (token: string) => `Bearer ${token}`;
const teamToken = (token: string, subject: string) => ({
  type: 'static',
  options: { token, subject },
  accessRestrictions: [
    { plugin: 'image-scans', permission: 'image-scans.ingest' },
    { plugin: 'platform-deploy', permission: 'platform-deploy.ingest' },
  ],
});

export async function startImageScansBackend() {
  const { server } = await startTestBackend({
    features: [
      imageScansPlugin,
      platformDeployBackend,
      catalogBackend,
      permissionBackend,
      platformPolicy,
      authServiceFactory,
      httpAuthServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            auth: {
              externalAccess: [
                teamToken(tokens.chat, 'ci-chat-team'),
                teamToken(tokens.billing, 'ci-billing-team'),
                {
                  type: 'static',
                  options: { token: tokens.reader, subject: 'reader' },
                  accessRestrictions: [
                    { plugin: 'catalog' },
                    { plugin: 'image-scans', permission: 'image-scans.read' },
                  ],
                },
              ],
            },
          },
          permission: { enabled: true },
          platformPolicy: { platformTeams: ['group:default/platform-team'] },
          catalog: {
            rules: [{ allow: ['Component'] }],
            locations: [
              {
                type: 'file',
                target: path.resolve(__dirname, '../__fixtures__/catalog.yaml'),
              },
            ],
          },
          platformDeploy: {
            environments: ['staging', 'production'],
            healthProbe: { enabled: false },
          },
          platformPortal: {
            ingest: {
              credentials: [
                {
                  subject: 'ci-chat-team',
                  owners: ['group:default/chat-team'],
                },
                {
                  subject: 'ci-billing-team',
                  owners: ['group:default/billing-team'],
                },
              ],
            },
          },
        },
      }),
    ],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=component')
      .set('authorization', bearer(tokens.reader));
    if (res.body.items?.length === 2) break;
    if (Date.now() > deadline) throw new Error('catalog never read the file');
    await new Promise(r => setTimeout(r, 100));
  }
  return server;
}
