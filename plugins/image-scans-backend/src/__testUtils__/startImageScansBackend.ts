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
import {
  portalTestConfig,
  TestStaticToken,
  waitForCatalog,
} from '@platform-portal/backstage-plugin-platform-node/testUtils';
import path from 'node:path';
import { imageScansPlugin } from '../plugin';

export const tokens = {
  chat: 'ci-chat-0123456789abcdef0123',
  billing: 'ci-billing-0123456789abcdef01',
  reader: 'reader-0123456789abcdef012345',
};
export const bearer = (token: string) => `Bearer ${token}`;
const teamToken = (
  token: string,
  subject: string,
  owner: string,
): TestStaticToken => ({
  token,
  subject,
  owners: [owner],
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
        data: portalTestConfig({
          tokens: [
            teamToken(tokens.chat, 'ci-chat-team', 'group:default/chat-team'),
            teamToken(
              tokens.billing,
              'ci-billing-team',
              'group:default/billing-team',
            ),
            {
              token: tokens.reader,
              subject: 'reader',
              accessRestrictions: [
                { plugin: 'catalog' },
                { plugin: 'image-scans', permission: 'image-scans.read' },
              ],
            },
          ],
          catalogFile: path.resolve(__dirname, '../__fixtures__/catalog.yaml'),
          extra: {
            platformDeploy: {
              environments: ['staging', 'production'],
              healthProbe: { enabled: false },
            },
          },
        }),
      }),
    ],
  });
  await waitForCatalog(server, { token: tokens.reader, count: 2 });
  return server;
}
