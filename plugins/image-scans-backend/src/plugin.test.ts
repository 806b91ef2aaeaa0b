/*
 * The plugin over real HTTP with the real parts (see startImageScansBackend).
 */
import request from 'supertest';
import { handMadeTrivyReport } from './__fixtures__/trivy';
import {
  bearer,
  startImageScansBackend as start,
  tokens,
} from './__testUtils__/startImageScansBackend';

jest.setTimeout(60_000);

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
  it("answers every entity's production figures in one response, for services", async () => {
    const res = await request(server)
      .get('/api/image-scans/v1/entity-facts?highOlderThanDays=1')
      .set('authorization', bearer(tokens.reader));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      productionEnvironment: 'production',
      highOlderThanDays: 1,
    });
    expect(res.body.items).toContainEqual({
      entityRef: 'component:default/chat-backend',
      productionVersion: 'main-abc1234',
      scanned: true,
      critical: 1,
      high: 1,
      // found today: not older than a day
      highOlderThan: 0,
      oldestHighDays: 0,
      demo: false,
    });
    const bad = await request(server)
      .get('/api/image-scans/v1/entity-facts?highOlderThanDays=0')
      .set('authorization', bearer(tokens.reader));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('query.highOlderThanDays');
    const unauthenticated = await request(server).get(
      '/api/image-scans/v1/entity-facts',
    );
    expect(unauthenticated.status).toBe(401);
  });
});
