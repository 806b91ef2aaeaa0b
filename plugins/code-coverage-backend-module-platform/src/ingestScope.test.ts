/*
 * The community code-coverage backend behind our ingest-scope module, with
 * every part real: Backstage's auth services (static external-access tokens
 * from config, the guest's user token from the auth backend), the permission
 * backend with the portal's policy, and the catalog backend reading a file
 * location. The LCOV body is hand-made in LCOV's tracefile format (SF, DA,
 * BRDA, end_of_record).
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import codeCoverageBackend from '@backstage-community/plugin-code-coverage-backend';
import authBackend from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import platformPolicy from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  portalTestConfig,
  TestStaticToken,
  waitForCatalog,
} from '@platform-portal/backstage-plugin-platform-node/testUtils';
import request from 'supertest';
import { codeCoverageModuleIngestScope } from './ingestScope';

jest.setTimeout(60_000);

const tokens = {
  chat: 'ci-chat-0123456789abcdef0123',
  billing: 'ci-billing-0123456789abcdef01',
  catalogOnly: 'catalog-reader-0123456789ab',
};
const bearer = (token: string) => `Bearer ${token}`;

/** A team's token as the README's production section issues it, with its scope. */
const teamToken = (
  token: string,
  subject: string,
  owner: string,
): TestStaticToken => ({
  token,
  subject,
  owners: [owner],
  accessRestrictions: [
    { plugin: 'code-coverage', permission: 'code-coverage.ingest' },
  ],
});

/** HAND-MADE LCOV: one file, 3 lines (2 hit), 2 branches (1 taken). */
const LCOV = [
  'TN:',
  'SF:src/index.ts',
  'DA:1,1',
  'DA:2,1',
  'DA:3,0',
  'BRDA:2,0,0,1',
  'BRDA:2,0,1,0',
  'end_of_record',
  '',
].join('\n');

async function start() {
  const { server } = await startTestBackend({
    features: [
      codeCoverageBackend,
      codeCoverageModuleIngestScope,
      catalogBackend,
      permissionBackend,
      platformPolicy,
      authBackend,
      guestProvider,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
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
              token: tokens.catalogOnly,
              subject: 'reader',
              accessRestrictions: [{ plugin: 'catalog' }],
            },
          ],
          catalogFile: path.resolve(
            __dirname,
            '__fixtures__/coverage-catalog.yaml',
          ),
          extra: {
            auth: {
              providers: {
                guest: { dangerouslyAllowOutsideDevelopment: true },
              },
            },
            platformPolicy: { readOnlyUsers: ['user:development/guest'] },
          },
        }),
      }),
    ],
  });
  await waitForCatalog(server, { token: tokens.catalogOnly, count: 2 });
  const guest = await request(server)
    .get('/api/auth/guest/refresh')
    .set('x-requested-with', 'XMLHttpRequest');
  return { server, guestToken: guest.body.backstageIdentity.token as string };
}

type Started = Awaited<ReturnType<typeof start>>;

const post = (
  { server }: Started,
  token: string,
  entity = 'component:default/chat-backend',
  body = LCOV,
) =>
  request(server)
    .post(`/api/code-coverage/report?entity=${entity}&coverageType=lcov`)
    .set('authorization', bearer(token))
    .set('content-type', 'text/plain')
    .send(body);

async function history(started: Started, entity: string) {
  const res = await request(started.server)
    .get(`/api/code-coverage/history?entity=${entity}`)
    .set('authorization', bearer(started.guestToken));
  expect(res.status).toBe(200);
  return res.body.history as unknown[];
}

describe('code-coverage behind the ingest scope', () => {
  let started: Started;
  beforeAll(async () => {
    started = await start();
  });

  it("stores a team's report for its own entity, which signed-in users read", async () => {
    const res = await post(started, tokens.chat);
    expect(res.status).toBe(201);
    const report = await request(started.server)
      .get('/api/code-coverage/report?entity=component:default/chat-backend')
      .set('authorization', bearer(started.guestToken));
    expect(report.status).toBe(200);
    expect(report.body.aggregate.line).toMatchObject({
      available: 3,
      covered: 2,
    });
    expect(report.body.aggregate.branch).toMatchObject({
      available: 2,
      covered: 1,
    });
  });

  it("refuses another team's credential with 403 and stores nothing", async () => {
    const res = await post(
      started,
      tokens.chat,
      'component:default/billing-api',
    );
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      'query.entity: ci-chat-team may not report for component:default/billing-api',
    );
    expect(await history(started, 'component:default/billing-api')).toEqual([]);
    // the owner's own token is accepted for it
    expect(
      (await post(started, tokens.billing, 'component:default/billing-api'))
        .status,
    ).toBe(201);
  });

  it('refuses users, the guest included (the community backend alone let them write)', async () => {
    const before = (await history(started, 'component:default/chat-backend'))
      .length;
    const res = await post(started, started.guestToken);
    expect(res.status).toBe(403);
    expect(
      (await history(started, 'component:default/chat-backend')).length,
    ).toBe(before);
  });

  it('names a bad query field with 400', async () => {
    const bad = await request(started.server)
      .post(
        '/api/code-coverage/report?entity=component:default/chat-backend&coverageType=clover',
      )
      .set('authorization', bearer(tokens.chat))
      .set('content-type', 'text/plain')
      .send(LCOV);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('query.coverageType');
    const missing = await request(started.server)
      .post('/api/code-coverage/report?coverageType=lcov')
      .set('authorization', bearer(tokens.chat))
      .set('content-type', 'text/plain')
      .send(LCOV);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('query.entity');
  });

  it("a team's ingest token cannot read (it is restricted to code-coverage.ingest)", async () => {
    const res = await request(started.server)
      .get('/api/code-coverage/report?entity=component:default/chat-backend')
      .set('authorization', bearer(tokens.chat));
    expect(res.status).toBe(403);
  });

  it('scripts/report-coverage, the command CI calls, posts LCOV and names the 403 of another team', async () => {
    const script = path.resolve(__dirname, '../../../scripts/report-coverage');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-coverage-'));
    const file = path.join(dir, 'lcov.info');
    fs.writeFileSync(file, LCOV);
    const run = (token: string, entity: string) =>
      promisify(execFile)(
        process.execPath,
        [script, '--entity', entity, '--file', file],
        {
          env: {
            ...process.env,
            PLATFORM_URL: `http://localhost:${
              (started.server.address() as AddressInfo).port
            }`,
            PLATFORM_INGEST_TOKEN: token,
            PLATFORM_RETRY_DELAY_MS: '10',
          },
        },
      );
    try {
      const before = (await history(started, 'component:default/chat-backend'))
        .length;
      const ok = await run(tokens.chat, 'component:default/chat-backend');
      expect(ok.stdout).toContain(
        'reported lcov coverage of component:default/chat-backend',
      );
      expect(
        (await history(started, 'component:default/chat-backend')).length,
      ).toBe(before + 1);

      const billingBefore = (
        await history(started, 'component:default/billing-api')
      ).length;
      const refused = run(tokens.chat, 'component:default/billing-api');
      await expect(refused).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(
          'the portal answered 403: query.entity: ci-chat-team may not report for component:default/billing-api',
        ),
      });
      const { stdout, stderr } = (await refused.catch(e => e)) as {
        stdout: string;
        stderr: string;
      };
      expect(`${ok.stdout}${ok.stderr}${stdout}${stderr}`).not.toContain(
        tokens.chat,
      );
      expect(
        (await history(started, 'component:default/billing-api')).length,
      ).toBe(billingBefore);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
