/* eslint-disable no-script-url */ // javascript: URLs are the attack corpus here, as data
/*
 * Trust issue, items 9 and 8 (the webhook's half): the GitHub webhook trusts
 * only what it should. Any signed-in user may register a component that
 * claims a repository (`github.com/project-slug`); the webhook maps a
 * repository to entities from trusted locations only (or an explicit config
 * map), so a claim cannot make the real service's deploys ambiguous or land
 * them elsewhere. A signed body whose shape does not match `X-GitHub-Event`
 * is a 4xx, and a `target_url` that is not http(s) never becomes a run URL.
 */
import { createHmac } from 'node:crypto';
import request from 'supertest';
import {
  as,
  Portal,
  startPortal,
  TOKENS,
  WEBHOOK_SECRET,
} from './__testUtils__/harness';

jest.setTimeout(240_000);

const claim = (
  namespace: string,
  name: string,
  slug: string,
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    github.com/project-slug: ${slug}
spec: { type: service, lifecycle: production, owner: group:default/mallory-team }
`;

/** A `deployment_status` delivery in GitHub's documented shape (the fields the portal reads). */
function deploymentStatus(
  id: number,
  repository: string,
  status: Record<string, unknown> = {},
) {
  const at = new Date(Date.now() - 60_000).toISOString();
  return {
    action: 'created',
    deployment_status: {
      id,
      state: 'success',
      created_at: at,
      target_url: `https://github.com/${repository}/actions/runs/${id}`,
      creator: { login: 'bob' },
      ...status,
    },
    deployment: {
      id: id + 1_000_000,
      sha: 'abc1234def5678abc1234def5678abc1234def56',
      ref: 'main',
      environment: 'production',
      created_at: at,
      payload: {},
      creator: { login: 'bob' },
    },
    repository: { full_name: repository },
  };
}

describe('hostile tenant: the GitHub webhook', () => {
  let portal: Portal;

  const deliver = (event: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    return request(portal.server)
      .post('/api/platform-deploy/v1/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', event)
      .set(
        'x-hub-signature-256',
        `sha256=${createHmac('sha256', WEBHOOK_SECRET)
          .update(body)
          .digest('hex')}`,
      )
      .send(body);
  };

  const history = async (ref: string) => {
    const res = await as(
      portal.server,
      TOKENS.observer,
      'get',
      `/api/platform-deploy/v1/entities/${ref}`,
    );
    expect(res.status).toBe(200);
    return res.body as {
      totalHistory: number;
      history: Array<{ idempotencyKey: string; runUrl?: string }>;
    };
  };

  beforeAll(async () => {
    portal = await startPortal();
    const mallory = await portal.signIn('mallory');
    const url = portal.repos.set(
      '/mallory/claims/catalog-info.yaml',
      [
        // the real service's repository, under Mallory's own entity
        claim('mallory', 'quote-backend', 'mana/quote-backend'),
        // a repository no trusted entity claims
        claim('default', 'mallory-payments', 'mana/payments'),
      ].join('---\n'),
    );
    const registered = await portal.register(mallory, url);
    if (registered.status !== 201) {
      throw new Error(
        `registering Mallory's location: ${registered.status} ${registered.text}`,
      );
    }
    await portal.waitForDeployable('component:mallory/quote-backend');
    await portal.waitForDeployable('component:default/mallory-payments');
    await portal.waitForDeployable('component:default/quote-backend');
  });
  afterAll(() => portal?.stop());

  it('a claim on mana/quote-backend does not make its deploys ambiguous: they land on quote-backend', async () => {
    const before = await history('component/default/quote-backend');
    const mallorys = await history('component/mallory/quote-backend');
    const res = await deliver(
      'deployment_status',
      deploymentStatus(9101, 'mana/quote-backend'),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stored: 1 });
    const after = await history('component/default/quote-backend');
    expect(after.totalHistory).toBe(before.totalHistory + 1);
    expect(after.history[0].idempotencyKey).toBe(
      'github:deployment_status:9101',
    );
    expect(
      (await history('component/mallory/quote-backend')).totalHistory,
    ).toBe(mallorys.totalHistory);
  });

  it('a repository only an untrusted entity claims maps to nothing (202, nothing stored)', async () => {
    const before = await history('component/default/mallory-payments');
    const res = await deliver(
      'deployment_status',
      deploymentStatus(9102, 'mana/payments'),
    );
    expect(res.status).toBe(202);
    expect(res.body.ignored).toMatch(/mana\/payments/);
    expect(
      (await history('component/default/mallory-payments')).totalHistory,
    ).toBe(before.totalHistory);
  });

  it('a target_url that is not http(s) never becomes the run URL', async () => {
    const res = await deliver(
      'deployment_status',
      deploymentStatus(9103, 'mana/quote-backend', {
        target_url: 'javascript:alert(document.cookie)',
      }),
    );
    expect(res.status).toBe(200);
    const latest = (await history('component/default/quote-backend'))
      .history[0];
    expect(latest.idempotencyKey).toBe('github:deployment_status:9103');
    expect(latest.runUrl).toBeUndefined();
  });

  it.each([
    [
      'a deployment_status event whose body is a deployment',
      'deployment_status',
      (() => {
        const { deployment_status: _, ...deployment } = deploymentStatus(
          9104,
          'mana/quote-backend',
        );
        return deployment;
      })(),
      /deployment_status/,
    ],
    [
      'a deployment event whose body is a push',
      'deployment',
      {
        ref: 'refs/heads/main',
        before: '0000000000000000000000000000000000000000',
        after: 'abc1234def5678abc1234def5678abc1234def56',
        commits: [],
        repository: { full_name: 'mana/quote-backend' },
      },
      /deployment/,
    ],
    ['a deployment event whose body is an array', 'deployment', [], /body/],
  ])(
    '%s is refused with 400, nothing stored',
    async (_, event, body, field) => {
      const before = await history('component/default/quote-backend');
      const res = await deliver(event, body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(field);
      expect(
        (await history('component/default/quote-backend')).totalHistory,
      ).toBe(before.totalHistory);
    },
  );
});
