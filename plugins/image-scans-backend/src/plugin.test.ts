/*
 * The plugin over real HTTP with the real parts: Backstage's auth services
 * (static external-access tokens from config), the permission backend with
 * the portal's policy, the catalog backend reading a file location, and
 * platform-deploy-backend for the version live in each environment.
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
import { handMadeTrivyReport } from './__fixtures__/trivy';
import { imageScansPlugin } from './plugin';

jest.setTimeout(60_000);

const tokens = {
  chat: 'ci-chat-0123456789abcdef0123',
  billing: 'ci-billing-0123456789abcdef01',
  reader: 'reader-0123456789abcdef012345',
};
const bearer = (token: string) => `Bearer ${token}`;
const teamToken = (token: string, subject: string) => ({
  type: 'static',
  options: { token, subject },
  accessRestrictions: [
    { plugin: 'image-scans', permission: 'image-scans.ingest' },
    { plugin: 'platform-deploy', permission: 'platform-deploy.ingest' },
  ],
});

async function start() {
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
                target: path.resolve(__dirname, '__fixtures__/catalog.yaml'),
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

type Server = Awaited<ReturnType<typeof start>>;

const postReport = (
  server: Server,
  body: unknown,
  options: { token?: string; entity?: string; version?: string } = {},
) =>
  request(server)
    .post(
      `/api/image-scans/v1/reports?entity=${
        options.entity ?? 'component:default/chat-backend'
      }&version=${options.version ?? 'main-abc1234'}`,
    )
    .set('authorization', bearer(options.token ?? tokens.chat))
    .send(body as object);

async function scans(
  server: Server,
  entity = 'component/default/chat-backend',
) {
  const res = await request(server)
    .get(`/api/image-scans/v1/entities/${entity}`)
    .set('authorization', bearer(tokens.reader));
  expect(res.status).toBe(200);
  return res.body;
}

describe('image-scans backend', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start();
    const deploy = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', bearer(tokens.chat))
      .send({
        entityRef: 'component:default/chat-backend',
        environment: 'production',
        version: 'main-abc1234',
        status: 'succeeded',
        idempotencyKey: 'deploy-1',
        finishedAt: new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString(),
      });
    if (deploy.status !== 200) {
      throw new Error(
        `the deploy report failed: ${deploy.status} ${deploy.text}`,
      );
    }
  });

  it('stores a valid report and shows it for the version live in production', async () => {
    const res = await postReport(server, handMadeTrivyReport());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 1, duplicates: 0 });
    const body = await scans(server);
    const production = body.environments.find(
      (e: { environment: string }) => e.environment === 'production',
    );
    expect(production).toMatchObject({
      version: 'main-abc1234',
      scanned: true,
      counts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 0, UNKNOWN: 0 },
    });
    expect(production.findings).toContainEqual(
      expect.objectContaining({
        vulnerabilityId: 'CVE-2024-45491',
        pkgName: 'libexpat1',
        installedVersion: '2.5.0-1',
        fixedVersion: '2.5.0-1+deb12u1',
      }),
    );
    // found now, though live for 3 days: open since the scan
    expect(production.criticalsOpen).toEqual([
      expect.objectContaining({
        vulnerabilityId: 'CVE-2024-45491',
        openDays: 0,
      }),
    ]);
    const staging = body.environments.find(
      (e: { environment: string }) => e.environment === 'staging',
    );
    expect(staging).toMatchObject({ scanned: false, findings: [] });
  });

  it('stores the same report twice once, and answers 409 for other content under its key', async () => {
    const again = await postReport(server, handMadeTrivyReport());
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ stored: 0, duplicates: 1 });
    const other = await postReport(
      server,
      handMadeTrivyReport({ extraCritical: true }),
    );
    expect(other.status).toBe(409);
    const production = (await scans(server)).environments.find(
      (e: { environment: string }) => e.environment === 'production',
    );
    expect(production.counts.CRITICAL).toBe(1);
  });

  it.each([
    [{ ...handMadeTrivyReport(), SchemaVersion: 1 }, 'SchemaVersion'],
    [
      { ...handMadeTrivyReport(), Metadata: { ImageID: 'latest' } },
      'Metadata.ImageID',
    ],
    [
      {
        ...handMadeTrivyReport(),
        Results: [
          {
            Target: 'x',
            Vulnerabilities: [
              {
                VulnerabilityID: 'CVE-1',
                PkgName: 'p',
                InstalledVersion: '1',
                Severity: 'SEVERE',
              },
            ],
          },
        ],
      },
      'Results[0].Vulnerabilities[0].Severity',
    ],
  ])(
    'refuses a malformed report with 400 naming the field (%#)',
    async (body, field) => {
      const res = await postReport(server, body, { version: 'bad-1' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`${field}:`);
      expect((await scans(server)).environments.length).toBe(2);
    },
  );

  it('refuses a bad version and an oversized body, storing nothing', async () => {
    const bad = await postReport(server, handMadeTrivyReport(), {
      version: 'no tags/with slashes',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('query.version');
    const huge = await postReport(
      server,
      {
        ...handMadeTrivyReport(),
        padding: 'x'.repeat(11 * 1024 * 1024),
      },
      { version: 'huge-1' },
    );
    expect(huge.status).toBe(413);
  });

  it("refuses another team's credential with 403 and stores nothing", async () => {
    const res = await postReport(server, handMadeTrivyReport(), {
      token: tokens.billing,
      version: 'main-other',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      'query.entity: ci-billing-team may not report for component:default/chat-backend',
    );
    // the same report under that version by the owner is new, so nothing was stored
    const owner = await postReport(server, handMadeTrivyReport(), {
      version: 'main-other',
    });
    expect(owner.body).toEqual({ stored: 1, duplicates: 0 });
  });
});
