import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import platformDeployPlugin from '@platform-portal/backstage-plugin-platform-deploy-backend';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { platformDeployModuleGithub } from './module';

// Official example payloads of GitHub's webhooks (octokit/webhooks).
const examples: Array<{
  name: string;
  examples: any[];
}> = require('@octokit/webhooks-examples');

const example = (name: string) =>
  examples.find(e => e.name === name)!.examples[0];

jest.setTimeout(30_000);

const SECRET = 'test-webhook-secret';

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function start() {
  const { server } = await startTestBackend({
    features: [
      platformDeployPlugin,
      platformDeployModuleGithub,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'hello-world',
              annotations: {
                'github.com/project-slug': 'Codertocat/Hello-World',
              },
            },
            spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          platformDeploy: {
            environments: ['staging', 'production'],
            github: {
              webhookSecret: SECRET,
              environmentAliases: { prod: 'production' },
            },
          },
        },
      }),
    ],
  });
  return server;
}

function deliver(
  server: any,
  event: string,
  payload: unknown,
  signature?: string,
) {
  const body = JSON.stringify(payload);
  const req = request(server)
    .post('/api/platform-deploy/v1/webhooks/github')
    .set('content-type', 'application/json')
    .set('x-github-event', event);
  if (signature !== undefined) req.set('x-hub-signature-256', signature);
  else req.set('x-hub-signature-256', sign(body));
  return req.send(body);
}

async function history(server: any) {
  const res = await request(server)
    .get('/api/platform-deploy/v1/entities/component/default/hello-world')
    .set('authorization', 'Bearer mock-user-token');
  return res.body;
}

describe('GitHub deployment webhooks', () => {
  it('stores deployment and deployment_status events once each', async () => {
    const server = await start();
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
    const server = await start();
    const payload = example('deployment');
    const aliased = {
      ...payload,
      deployment: { ...payload.deployment, environment: 'prod' },
    };
    expect((await deliver(server, 'deployment', aliased)).status).toBe(200);
    expect((await history(server)).states.production.lastStatus).toBe(
      'started',
    );
  });

  it.each([
    ['unsigned', undefined as string | undefined],
    ['wrongly signed', 'WRONG'],
    ['signed with another secret', 'OTHER'],
  ])('rejects %s deliveries with 401 and stores nothing', async (_n, kind) => {
    const server = await start();
    const payload = example('deployment');
    const body = JSON.stringify(payload);
    const req = request(server)
      .post('/api/platform-deploy/v1/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'deployment');
    if (kind === 'WRONG') req.set('x-hub-signature-256', 'sha256=00');
    if (kind === 'OTHER') req.set('x-hub-signature-256', sign(body, 'other'));
    const res = await req.send(body);
    expect(res.status).toBe(401);
    expect((await history(server)).totalHistory).toBe(0);
  });

  it.each([
    ['another event', 'push', example('push')],
    [
      'an unknown repository',
      'deployment',
      { ...example('deployment'), repository: { full_name: 'someone/else' } },
    ],
    [
      'an untracked environment',
      'deployment',
      {
        ...example('deployment'),
        deployment: {
          ...example('deployment').deployment,
          environment: 'preview',
        },
      },
    ],
  ])('answers 202 to %s and stores nothing', async (_n, event, payload) => {
    const server = await start();
    const res = await deliver(server, event, payload);
    expect(res.status).toBe(202);
    expect(res.body.ignored).toBeTruthy();
    expect((await history(server)).totalHistory).toBe(0);
  });
});
