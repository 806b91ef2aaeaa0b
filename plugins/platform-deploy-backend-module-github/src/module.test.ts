/* eslint-disable no-script-url */ // javascript: URLs are the attack corpus here, as data
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import platformDeployPlugin from '@platform-portal/backstage-plugin-platform-deploy-backend';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { platformDeployModuleGithub } from './module';

// Official example payloads of GitHub's webhooks (octokit/webhooks).
const examples: Array<{
  name: string;
  examples: any[];
}> = require('@octokit/webhooks-examples');

const example = (name: string) =>
  structuredClone(examples.find(e => e.name === name)!.examples[0]);

jest.setTimeout(60_000);

const SECRET = 'test-webhook-secret';
/** Components in the fixture. */
const FIXTURE_COMPONENTS = 14;

/**
 * Components that a user registers from elsewhere (an untrusted location):
 * served by a local HTTP server standing in for a tenant's repository.
 */
const CLAIMS = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: claimer
  namespace: tenant
  annotations:
    github.com/project-slug: octo/claimed
spec: { type: service, lifecycle: production, owner: team-b }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orphan-claimer
  annotations:
    github.com/project-slug: octo/orphan
spec: { type: service, lifecycle: production, owner: team-b }
`;
let tenantRepo: http.Server;
let tenantHost: string;

beforeAll(async () => {
  tenantRepo = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/yaml');
    res.end(CLAIMS);
  });
  await new Promise<void>(r => tenantRepo.listen(0, '127.0.0.1', r));
  tenantHost = `127.0.0.1:${(tenantRepo.address() as AddressInfo).port}`;
});
afterAll(() => new Promise(r => tenantRepo.close(r)));

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * The platform-deploy plugin with this module and the real catalog backend
 * (SQLite in memory, the fixture as its location).
 */
async function start(
  options: {
    secret?: string;
    repositories?: Record<string, string>;
  } = { secret: SECRET },
) {
  const { server } = await startTestBackend({
    features: [
      platformDeployPlugin,
      platformDeployModuleGithub,
      catalogBackend,
      mockServices.rootConfig.factory({
        data: {
          backend: { reading: { allow: [{ host: tenantHost }] } },
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
            github: {
              ...(options.secret ? { webhookSecret: options.secret } : {}),
              environmentAliases: { prod: 'production' },
              repositories: options.repositories ?? {
                'Octo/Legacy': 'legacy-api',
              },
            },
          },
        },
      }),
    ],
  });
  return server;
}

type Server = Awaited<ReturnType<typeof start>>;

/** The catalog processes its location in the background: wait for all of it. */
async function waitForCatalog(server: Server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=component&limit=100')
      .set('authorization', mockCredentials.service.header());
    if (res.body.items?.length === FIXTURE_COMPONENTS) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('the catalog never processed the fixture');
}

function deliver(
  server: Server,
  event: string,
  payload: unknown,
  signature?: string,
) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return request(server)
    .post('/api/platform-deploy/v1/webhooks/github')
    .set('content-type', 'application/json')
    .set('x-github-event', event)
    .set('x-hub-signature-256', signature ?? sign(body))
    .send(body);
}

let nextId = 1_000_000;

/**
 * An example payload moved to one of the fixture's repositories, with ids of
 * its own (GitHub's ids are unique, and they are the idempotency keys).
 */
function forRepo(
  name: string,
  repo: string,
  edit: (p: any) => void = () => {},
) {
  const payload = example(name);
  payload.repository.full_name = repo;
  if (payload.deployment) payload.deployment.id = nextId++;
  if (payload.deployment_status) payload.deployment_status.id = nextId++;
  edit(payload);
  return payload;
}

async function history(server: Server, ref = 'component/default/hello-world') {
  const res = await request(server)
    .get(`/api/platform-deploy/v1/entities/${ref}`)
    .set('authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  return res.body;
}

/** Registers the tenant's claims as a user would (an untrusted url location). */
async function registerClaims(server: Server) {
  const res = await request(server)
    .post('/api/catalog/locations')
    .set('authorization', mockCredentials.service.header())
    .send({ type: 'url', target: `http://${tenantHost}/catalog-info.yaml` });
  expect(res.status).toBe(201);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = await request(server)
      .get('/api/catalog/entities/by-name/component/default/orphan-claimer')
      .set('authorization', mockCredentials.service.header());
    if (found.status === 200) return;
    if (Date.now() > deadline) throw new Error('the claims were never read');
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('GitHub deployment webhooks', () => {
  let server: Server;

  beforeAll(async () => {
    server = await start();
    await waitForCatalog(server);
    await registerClaims(server);
  });

  it('stores deployment and deployment_status events once each', async () => {
    const deployment = example('deployment');
    const status = example('deployment_status');

    const first = await deliver(server, 'deployment', deployment);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ stored: 1, duplicates: 0 });
    const redelivered = await deliver(server, 'deployment', deployment);
    expect(redelivered.body).toEqual({ stored: 0, duplicates: 1 });

    const done = await deliver(server, 'deployment_status', status);
    expect(done.status).toBe(200);

    const body = await history(server);
    expect(body.totalHistory).toBe(2);
    expect(body.states.production).toMatchObject({
      lastStatus: 'succeeded',
      version: `master-${status.deployment.sha.slice(0, 7)}`,
    });
  });

  it('maps GitHub environment names through the alias table', async () => {
    const aliased = forRepo('deployment', 'octo/aliases', p => {
      p.deployment.environment = 'prod';
    });
    expect((await deliver(server, 'deployment', aliased)).status).toBe(200);
    const body = await history(server, 'component/default/aliased-service');
    expect(body.states.production.lastStatus).toBe('started');
  });

  it.each([
    ['failure', 'failure-service', 'failed'],
    ['error', 'error-service', 'failed'],
    ['pending', 'pending-service', 'started'],
  ])(
    'stores a %s deployment status (%s) as %s',
    async (state, name, status) => {
      const payload = forRepo('deployment_status', `octo/state-${state}`, p => {
        p.deployment_status.state = state;
        p.deployment_status.target_url = `https://ci.example.com/${state}`;
      });
      // other tests may report for the same service first (any order)
      const before = (await history(server, `component/default/${name}`))
        .totalHistory;
      const res = await deliver(server, 'deployment_status', payload);
      expect(res.body).toEqual({ stored: 1, duplicates: 0 });
      const body = await history(server, `component/default/${name}`);
      expect(body.totalHistory).toBe(before + 1);
      expect(body.history[0]).toMatchObject({
        status,
        source: 'github',
        idempotencyKey: `github:deployment_status:${payload.deployment_status.id}`,
        runUrl: `https://ci.example.com/${state}`,
      });
      // a pending deploy has not finished
      expect(body.history[0].finishedAt === undefined).toBe(
        status === 'started',
      );
      expect(body.states.production.lastStatus).toBe(status);
    },
  );

  it("takes the version from the deployment's payload.version", async () => {
    const payload = forRepo('deployment_status', 'octo/version', p => {
      p.deployment.payload = { version: 'v2.3.1' };
    });
    expect((await deliver(server, 'deployment_status', payload)).status).toBe(
      200,
    );
    const body = await history(server, 'component/default/version-service');
    expect(body.states.production.version).toBe('v2.3.1');
  });

  it.each([
    [
      'payload.entityRef',
      { entityRef: 'component:default/mono-api' },
      'component/default/mono-api',
    ],
    [
      'payload.entityRef in another case',
      { entityRef: 'Component:default/Mono-Web' },
      'component/default/mono-web',
    ],
    [
      'payload.component',
      { component: 'mono-web' },
      'component/default/mono-web',
    ],
    [
      'payload.entityRef in another namespace',
      { entityRef: 'component:shop/mono-worker' },
      'component/shop/mono-worker',
    ],
    [
      'payload.component in another namespace',
      { component: 'mono-worker' },
      'component/shop/mono-worker',
    ],
  ])('picks the component of a monorepo by %s', async (_n, hint, ref) => {
    const payload = forRepo('deployment', 'octo/mono', p => {
      p.deployment.payload = hint;
    });
    const before = (await history(server, ref)).totalHistory;
    const res = await deliver(server, 'deployment', payload);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 1, duplicates: 0 });
    expect((await history(server, ref)).totalHistory).toBe(before + 1);
  });

  it('maps a repository through trusted entities only: a claim from elsewhere changes nothing', async () => {
    const payload = forRepo('deployment_status', 'octo/claimed');
    const res = await deliver(server, 'deployment_status', payload);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ stored: 1, duplicates: 0 });
    expect(
      (await history(server, 'component/default/claimed-service')).history[0]
        .idempotencyKey,
    ).toBe(`github:deployment_status:${payload.deployment_status.id}`);
    expect(
      (await history(server, 'component/tenant/claimer')).totalHistory,
    ).toBe(0);
  });

  it('ignores a repository that only entities from untrusted locations claim', async () => {
    const res = await deliver(
      server,
      'deployment',
      forRepo('deployment', 'octo/orphan'),
    );
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      ignored:
        'repository octo/orphan maps to 0 entities and the deployment names none of them (not from a trusted location, so not used: component:default/orphan-claimer)',
    });
    expect(
      (await history(server, 'component/default/orphan-claimer')).totalHistory,
    ).toBe(0);
  });

  it('maps a repository of platformDeploy.github.repositories to its entity, in any case', async () => {
    const payload = forRepo('deployment', 'octo/legacy');
    expect((await deliver(server, 'deployment', payload)).body).toEqual({
      stored: 1,
      duplicates: 0,
    });
    expect(
      (await history(server, 'component/default/legacy-api')).totalHistory,
    ).toBe(1);
  });

  it.each([
    [
      'javascript:alert(document.cookie)',
      'https://ci.example.com/log',
      'https://ci.example.com/log',
    ],
    [
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      undefined,
    ],
    ['', null, undefined],
  ])(
    'takes only an http(s) run URL (target_url %s, log_url %s)',
    async (targetUrl, logUrl, runUrl) => {
      const payload = forRepo('deployment_status', 'octo/state-failure', p => {
        p.deployment_status.target_url = targetUrl;
        p.deployment_status.log_url = logUrl;
      });
      expect((await deliver(server, 'deployment_status', payload)).status).toBe(
        200,
      );
      const [latest] = (
        await history(server, 'component/default/failure-service')
      ).history;
      expect(latest.idempotencyKey).toBe(
        `github:deployment_status:${payload.deployment_status.id}`,
      );
      expect(latest.runUrl).toBe(runUrl);
    },
  );

  it('answers 413 to a delivery over 1 MB and stores nothing', async () => {
    const payload = forRepo('deployment', 'octo/rejects', p => {
      p.deployment.description = 'x'.repeat(2 * 1024 * 1024);
    });
    const res = await deliver(server, 'deployment', payload);
    expect(res.status).toBe(413);
    const state = await history(server, 'component/default/reject-service');
    expect(state.totalHistory).toBe(0);
  });

  it('ignores a monorepo deployment that names none of its components', async () => {
    const payload = forRepo('deployment', 'octo/mono', p => {
      p.deployment.payload = { component: 'elsewhere' };
    });
    const res = await deliver(server, 'deployment', payload);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      ignored:
        'repository octo/mono maps to 3 entities and the deployment names none of them',
    });
  });

  it.each([
    ['unsigned', ''],
    ['wrongly signed', 'sha256=00'],
    ['signed with another secret', 'OTHER'],
  ])(
    'rejects %s deliveries with 401 and stores nothing',
    async (_n, signature) => {
      const payload = forRepo('deployment', 'octo/unsigned');
      const body = JSON.stringify(payload);
      const res = await deliver(
        server,
        'deployment',
        body,
        signature === 'OTHER' ? sign(body, 'other') : signature,
      );
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual({
        name: 'AuthenticationError',
        message: 'X-Hub-Signature-256 is missing or wrong',
      });
      const state = await history(server, 'component/default/unsigned-service');
      expect(state.totalHistory).toBe(0);
    },
  );

  it.each([
    [
      'a body that is not JSON',
      'deployment',
      '{"deployment": ',
      'body: not valid JSON',
    ],
    [
      'a deployment of the wrong shape',
      'deployment',
      forRepo('deployment', 'octo/rejects', p => {
        p.deployment.id = 'one';
      }),
      'deployment.id: Expected number, received string',
    ],
    [
      'a deployment status without its deployment',
      'deployment_status',
      forRepo('deployment_status', 'octo/rejects', p => {
        delete p.deployment;
      }),
      'deployment: Required',
    ],
    [
      'a deployment status event without its status',
      'deployment_status',
      forRepo('deployment_status', 'octo/rejects', p => {
        delete p.deployment_status;
      }),
      'deployment_status: Required',
    ],
    [
      'a version that is not an image tag',
      'deployment',
      forRepo('deployment', 'octo/rejects', p => {
        p.deployment.payload = { version: 'not a tag' };
      }),
      'events[0].version: must be an image tag such as main-abc1234',
    ],
  ])(
    'answers 400 to %s, naming the field, and stores nothing',
    async (_n, event, payload, message) => {
      const res = await deliver(server, event, payload);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ name: 'InputError', message });
      const state = await history(server, 'component/default/reject-service');
      expect(state.totalHistory).toBe(0);
    },
  );

  it.each([
    [
      'another event',
      'push',
      forRepo('push', 'octo/ignored'),
      'event push is not a deployment event',
    ],
    [
      'an unknown repository',
      'deployment',
      forRepo('deployment', 'someone/else'),
      'repository someone/else maps to 0 entities and the deployment names none of them',
    ],
    [
      'an untracked environment',
      'deployment',
      forRepo('deployment', 'octo/ignored', p => {
        p.deployment.environment = 'preview';
      }),
      'environment preview is not tracked',
    ],
    [
      'a status named like an object property',
      'deployment_status',
      forRepo('deployment_status', 'octo/ignored', p => {
        p.deployment_status.state = 'constructor';
      }),
      'deployment status constructor is not tracked',
    ],
    [
      'an environment named like an object property',
      'deployment',
      forRepo('deployment', 'octo/ignored', p => {
        p.deployment.environment = 'toString';
      }),
      'environment toString is not tracked',
    ],
    [
      'an inactive status',
      'deployment_status',
      forRepo('deployment_status', 'octo/ignored', p => {
        p.deployment_status.state = 'inactive';
      }),
      'deployment status inactive is not tracked',
    ],
  ])(
    'answers 202 to %s and stores nothing',
    async (_n, event, payload, ignored) => {
      const res = await deliver(server, event, payload);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ ignored });
      const state = await history(server, 'component/default/ignored-service');
      expect(state.totalHistory).toBe(0);
    },
  );
});

describe('GitHub deployment webhooks with a bad repository map', () => {
  it('fail to start, naming the key', async () => {
    await expect(
      start({ secret: SECRET, repositories: { 'octo/bad': 'component:' } }),
    ).rejects.toThrow(
      'platformDeploy.github.repositories.octo/bad: "component:" is not an entity reference',
    );
  });
});

describe('GitHub deployment webhooks without a secret', () => {
  it('answers 503 and stores nothing', async () => {
    const server = await start({});
    await waitForCatalog(server);
    const res = await deliver(server, 'deployment', example('deployment'));
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({
      name: 'ServiceUnavailableError',
      message:
        'GitHub webhook secret is not configured: set platformDeploy.github.webhookSecret or PLATFORM_GITHUB_WEBHOOK_SECRET',
    });
    expect((await history(server)).totalHistory).toBe(0);
  });
});
