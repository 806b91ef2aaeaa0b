import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import platformPolicyModule from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import platformDeployPlugin from '@platform-portal/backstage-plugin-platform-deploy-backend';
import {
  CostReport,
  EntityCostResponse,
} from '@platform-portal/backstage-plugin-platform-deploy-common';
import path from 'node:path';
import request from 'supertest';
import { platformDeployModuleCosts } from './module';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const GUEST = 'user:development/guest';

/** $40 for 4 CPU / 8 GB now; a what-if with a monitoring server and two environments. */
const costs = {
  current: 'one-box',
  fixedCosts: [{ name: 'Domain', monthlyUsd: 1 }],
  scenarios: [
    {
      id: 'one-box',
      title: 'One box',
      servers: [
        { name: 'box', plan: 'CCX13', monthlyUsd: 40, cpu: 4, memory: '8Gi' },
      ],
    },
    {
      id: 'split',
      servers: [
        {
          name: 'monitoring',
          plan: 'CX22',
          monthlyUsd: 10,
          cpu: 2,
          memory: '4Gi',
          systems: ['observability'],
        },
        {
          name: 'staging',
          plan: 'CX22',
          monthlyUsd: 10,
          cpu: 2,
          memory: '4Gi',
          environment: 'staging',
        },
        {
          name: 'production',
          plan: 'CCX23',
          monthlyUsd: 30,
          cpu: 4,
          memory: '16Gi',
          environment: 'production',
        },
      ],
    },
  ],
};

const catalogConfig = {
  rules: [{ allow: ['Component'] }],
  locations: [
    {
      type: 'file',
      target: path.resolve(__dirname, '__fixtures__/catalog.yaml'),
    },
  ],
};

/**
 * The platform-deploy plugin with the costs module, the real catalog backend
 * (SQLite in memory, the fixture file as its location), and the real
 * permission backend with the portal's policy.
 */
async function start(options: {
  config?: object;
  extraFeatures?: any[];
  realPermissions?: boolean;
}) {
  const { server } = await startTestBackend({
    features: [
      platformDeployPlugin,
      platformDeployModuleCosts,
      catalogBackend,
      ...(options.realPermissions === false
        ? []
        : [permissionBackend, platformPolicyModule]),
      ...(options.extraFeatures ?? []),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          platformPolicy: {
            platformTeams: ['group:default/platform-team'],
            readOnlyUsers: [GUEST],
          },
          catalog: catalogConfig,
          platformDeploy: { demo: { enabled: false }, ...options.config },
        },
      }),
    ],
  });
  return server;
}

type Server = Awaited<ReturnType<typeof start>>;

const get = (server: Server, query = '', user = ALICE) =>
  request(server)
    .get(`/api/platform-deploy/v1/costs${query}`)
    .set('authorization', mockCredentials.user.header(user));

/** The catalog processes its location in the background: wait for all four. */
async function waitForCatalog(server: Server) {
  for (let i = 0; i < 150; i++) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=component')
      .set('authorization', mockCredentials.service.header());
    if (res.body.items?.length === 4) return;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('the catalog never processed the fixture');
}

describe('GET /api/platform-deploy/v1/costs', () => {
  let server: Server;

  beforeAll(async () => {
    server = await start({ config: { costs: { ...costs, cacheSeconds: 0 } } });
    await waitForCatalog(server);
  });

  it('costs every component of the catalog on the current servers', async () => {
    const res = await get(server);
    expect(res.status).toBe(200);
    const report: CostReport = res.body;
    expect(report.current.id).toBe('one-box');
    expect(report.current.totals).toMatchObject({
      monthlyUsd: 41,
      serversUsd: 40,
      fixedUsd: 1,
      services: 4,
      allocated: { cpu: 2, memoryMiB: 4096 },
    });
    // box: 2 of 4 CPU and 4 of 8 GB, so half of each $20 half is allocated.
    const [box] = report.current.servers;
    expect(box).toMatchObject({
      name: 'box',
      entityRef: 'resource:default/box',
      headroom: { cpu: 2, memoryMiB: 4096 },
      allocatedUsd: 20,
      unallocatedUsd: 20,
      overcommitted: [],
    });
    const cost = Object.fromEntries(
      report.current.services.map(s => [s.name, s.monthlyUsd]),
    );
    expect(cost).toEqual({
      'shop-backend': 5 + 5, // 1 CPU of 4, 2 GB of 8
      prometheus: 3.75 + 4.375,
      'shop-web': 1.25 + 0.625, // the website default: 0.25 / 256Mi
      'shop-mobile': 0,
    });
    expect(
      report.current.services.find(s => s.name === 'shop-web')
        ?.allocationSource,
    ).toBe('default');
    expect(report.current.systems.map(s => [s.system, s.services])).toEqual([
      ['shop', 3],
      ['observability', 1],
    ]);
    expect(report.current.targets.map(t => [t.id, t.met])).toEqual([
      ['monthly-total', true],
      ['per-service-average', false],
      ['per-service-max', false],
    ]);
  });

  it('computes the what-if from the same components', async () => {
    const report: CostReport = (await get(server)).body;
    const [split] = report.whatIf;
    expect(split.id).toBe('split');
    expect(split.totals.monthlyUsd).toBe(51);
    expect(split.servers.map(s => [s.name, s.instances])).toEqual([
      ['monitoring', 1],
      ['staging', 2],
      ['production', 2],
    ]);
    const backend = split.services.find(s => s.name === 'shop-backend')!;
    expect(backend.instances.map(i => i.server)).toEqual([
      'staging',
      'production',
    ]);
  });

  it('answers for one component with ?entityRef=', async () => {
    const res = await get(server, '?entityRef=component:default/shop-backend');
    expect(res.status).toBe(200);
    const body: EntityCostResponse = res.body;
    expect(body.service.monthlyUsd).toBe(10);
    expect(body.service.shareOfTotal).toBeCloseTo(10 / 41, 10);
    expect(body.totalMonthlyUsd).toBe(41);
    expect(body.targets.perServiceUsd).toBe(5);
    expect(body.scenario).toEqual({ id: 'one-box', title: 'One box' });
    // kind and namespace default like everywhere in Backstage
    expect((await get(server, '?entityRef=shop-web')).body.service.name).toBe(
      'shop-web',
    );
  });

  it('lets every signed-in user read, the guest included (the platform policy)', async () => {
    expect((await get(server, '', GUEST)).status).toBe(200);
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('authorization', mockCredentials.user.header(ALICE))
      .send({
        items: [
          {
            id: '1',
            permission: {
              type: 'basic',
              name: 'platform-deploy.costs.read',
              attributes: { action: 'read' },
            },
          },
        ],
      });
    expect(res.body.items[0].result).toBe(AuthorizeResult.ALLOW);
  });

  it('refuses a request with invalid credentials', async () => {
    // (The test backend treats a request without a token as a default user.)
    const res = await request(server)
      .get('/api/platform-deploy/v1/costs')
      .set('authorization', mockCredentials.user.invalidHeader());
    expect(res.status).toBe(401);
  });

  it('names the offending query parameter', async () => {
    const bad = await get(server, '?entityRef=component:');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /entityRef: must be an entity ref such as component:default\/chat-backend/,
    );
    const unknown = await get(server, '?system=shop');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/system/);
  });

  it('answers 404 for a component the catalog does not have', async () => {
    const res = await get(server, '?entityRef=component:default/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'No component component:default/nope in the cost model',
    );
  });
});

describe('GET /api/platform-deploy/v1/costs, edge cases', () => {
  it('is forbidden when the policy denies platform-deploy.costs.read', async () => {
    const server = await start({
      config: { costs },
      realPermissions: false,
      extraFeatures: [
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const res = await get(server);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Not allowed: platform-deploy.costs.read',
    );
  });

  it('says what to configure when there is no cost model', async () => {
    const server = await start({});
    const res = await get(server);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/configure platformDeploy.costs/);
  });

  it('refuses to start with an invalid cost model, naming the field', async () => {
    await expect(
      start({
        config: {
          costs: { ...costs, weights: { cpu: 0.9, memory: 0.9 } },
        },
      }),
    ).rejects.toThrow(/weights: cpu \+ memory must add up to 1/);
  });
});
