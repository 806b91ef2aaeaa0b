/*
 * The coverage facts endpoint on the community code-coverage backend with
 * our two modules, every part real (auth services with static tokens, the
 * permission backend with the portal's policy, the catalog reading a file).
 * The LCOV bodies are hand-made in LCOV's tracefile format.
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import codeCoverageBackend from '@backstage-community/plugin-code-coverage-backend';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import platformPolicy from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import path from 'node:path';
import {
  portalTestConfig,
  waitForCatalog,
} from '@platform-portal/backstage-plugin-platform-node/testUtils';
import request from 'supertest';
// the package's default export: the feature loader that adds both modules
import codeCoverageModulePlatform from './index';
import { demoLcov, DEMO_STEPS } from './qualityFacts';

jest.setTimeout(60_000);

const tokens = {
  ci: 'ci-platform-0123456789abcdef01',
  facts: 'facts-reader-0123456789abcdef',
};
const bearer = (token: string) => `Bearer ${token}`;

/** HAND-MADE LCOV: src/auth/guard.ts 3 of 4 lines, src/util.ts 1 of 4, one branch of two. */
const LCOV = [
  'TN:',
  'SF:src/auth/guard.ts',
  'DA:1,1',
  'DA:2,1',
  'DA:3,1',
  'DA:4,0',
  'BRDA:2,0,0,1',
  'BRDA:2,0,1,0',
  'end_of_record',
  'SF:src/util.ts',
  'DA:1,1',
  'DA:2,0',
  'DA:3,0',
  'DA:4,0',
  'end_of_record',
  '',
].join('\n');

async function start() {
  const { server } = await startTestBackend({
    features: [
      codeCoverageBackend,
      codeCoverageModulePlatform,
      catalogBackend,
      permissionBackend,
      platformPolicy,
      authServiceFactory,
      httpAuthServiceFactory,
      mockServices.rootConfig.factory({
        data: portalTestConfig({
          tokens: [
            {
              token: tokens.ci,
              subject: 'ci-platform',
              allEntities: true,
              accessRestrictions: [
                { plugin: 'code-coverage', permission: 'code-coverage.ingest' },
              ],
            },
            {
              token: tokens.facts,
              subject: 'facts',
              accessRestrictions: [
                { plugin: 'catalog' },
                { plugin: 'code-coverage', permission: 'code-coverage.read' },
              ],
            },
          ],
          catalogFile: path.resolve(
            __dirname,
            '__fixtures__/quality-catalog.yaml',
          ),
        }),
      }),
    ],
  });
  await waitForCatalog(server, { token: tokens.facts, count: 2 });
  return server;
}

const post = (
  server: Awaited<ReturnType<typeof start>>,
  entity: string,
  body: string,
) =>
  request(server)
    .post(`/api/code-coverage/report?entity=${entity}&coverageType=lcov`)
    .set('authorization', bearer(tokens.ci))
    .set('content-type', 'text/plain')
    .send(body);

describe('coverage facts of every entity', () => {
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start();
  });

  it('answers line, branch and critical-paths coverage of each latest report', async () => {
    expect(
      (await post(server, 'component:default/billing-api', LCOV)).status,
    ).toBe(201);
    // an older report of chat-backend, then the latest
    expect(
      (
        await post(
          server,
          'component:default/chat-backend',
          demoLcov('x', 0, 2),
        )
      ).status,
    ).toBe(201);
    expect(
      (await post(server, 'component:default/chat-backend', LCOV)).status,
    ).toBe(201);

    const res = await request(server)
      .get('/api/code-coverage/platform/v1/entity-facts')
      .set('authorization', bearer(tokens.facts));
    expect(res.status).toBe(200);
    const byRef = Object.fromEntries(
      res.body.items.map((i: { entityRef: string }) => [i.entityRef, i]),
    );
    expect(Object.keys(byRef).sort()).toEqual([
      'component:default/billing-api',
      'component:default/chat-backend',
    ]);
    expect(byRef['component:default/chat-backend']).toMatchObject({
      lineCoverage: 50,
      branchCoverage: 50,
      criticalPathsCoverage: 75,
      criticalPathFiles: 1,
      demo: false,
    });
    // no critical-paths annotation: no figure
    expect(byRef['component:default/billing-api']).toMatchObject({
      lineCoverage: 50,
      criticalPathsCoverage: null,
      criticalPathFiles: 0,
    });
  });

  it('is for services only: a CI token without code-coverage.read is refused', async () => {
    const res = await request(server)
      .get('/api/code-coverage/platform/v1/entity-facts')
      .set('authorization', bearer(tokens.ci));
    expect(res.status).toBe(403);
    const anonymous = await request(server).get(
      '/api/code-coverage/platform/v1/entity-facts',
    );
    expect(anonymous.status).toBe(401);
  });
});

describe('demoLcov', () => {
  it('climbs over the steps and is the same for the same entity and step', () => {
    const ratio = (lcov: string) => {
      const hits = lcov.match(/^DA:\d+,\d+$/gm)!.map(l => l.endsWith(',0'));
      return hits.filter(missed => !missed).length / hits.length;
    };
    const ref = 'component:default/chat-backend';
    expect(demoLcov(ref, 3, DEMO_STEPS)).toBe(demoLcov(ref, 3, DEMO_STEPS));
    expect(ratio(demoLcov(ref, DEMO_STEPS - 1, DEMO_STEPS))).toBeGreaterThan(
      ratio(demoLcov(ref, 0, DEMO_STEPS)),
    );
  });

  it('ends a well-tested service above 80 % with its auth code fully covered', () => {
    /** Lines hit / lines, over the files whose name passes `only`. */
    const ratio = (lcov: string, only: (file: string) => boolean) => {
      let file = '';
      let hit = 0;
      let all = 0;
      for (const line of lcov.split('\n')) {
        if (line.startsWith('SF:')) file = line.slice(3);
        if (line.startsWith('DA:') && only(file)) {
          all += 1;
          if (!line.endsWith(',0')) hit += 1;
        }
      }
      return (100 * hit) / all;
    };
    // grafana's own demo level is below the target
    const ref = 'component:default/grafana';
    const last = (wellTested: boolean) =>
      demoLcov(ref, DEMO_STEPS - 1, DEMO_STEPS, { wellTested });
    const any = () => true;
    const auth = (file: string) => file.startsWith('src/auth/');
    expect(ratio(last(false), any)).toBeLessThan(80);
    expect(ratio(last(true), any)).toBeGreaterThanOrEqual(80);
    expect(ratio(last(true), auth)).toBe(100);
  });
});
