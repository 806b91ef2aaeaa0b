/*
 * Trust issue, item 1: a signed-in user of another team. The policy names a
 * rule for every permission and denies the rest; none of these may reach the
 * production cluster, other teams' locations or tasks, or team membership.
 */
import { as, Portal, startPortal, waitFor } from './__testUtils__/harness';

jest.setTimeout(240_000);

describe('hostile tenant: a signed-in user of another team', () => {
  let portal: Portal;
  let mallory: string;
  let alice: string;
  let pat: string;

  beforeAll(async () => {
    portal = await startPortal();
    [mallory, alice, pat] = await Promise.all(
      ['mallory', 'alice', 'pat'].map(name => portal.signIn(name)),
    );
  });
  afterAll(() => portal?.stop());

  it("may not use the Kubernetes proxy (the production cluster with the portal's token)", async () => {
    const res = await as(
      portal.server,
      mallory,
      'get',
      '/api/kubernetes/proxy/api/v1/namespaces/default/secrets',
    ).set('backstage-kubernetes-cluster', 'production');
    expect(res.status).toBe(403);
    // the platform team gets past the permission check (there is no cluster here)
    const platform = await as(
      portal.server,
      pat,
      'get',
      '/api/kubernetes/proxy/api/v1/namespaces/default/secrets',
    ).set('backstage-kubernetes-cluster', 'production');
    expect(platform.status).not.toBe(403);
  });

  it("may read the scorecards but not run every entity's checks (tech-insights.check.run is the platform team's)", async () => {
    const run = (token: string) =>
      as(portal.server, token, 'post', '/api/tech-insights/checks/run').send({
        checks: [],
        entities: [],
      });
    const denied = await run(mallory);
    expect(denied.status).toBe(403);
    expect((await run(pat)).status).toBe(200);
    for (const url of [
      '/api/tech-insights/checks',
      '/api/readiness/v1/overview',
      '/api/readiness/v1/trend?days=7',
      '/api/readiness/v1/summary',
      '/api/readiness/v1/entities?limit=10',
    ]) {
      expect((await as(portal.server, mallory, 'get', url)).status).toBe(200);
    }
  });

  it("may not unregister another team's registered location", async () => {
    const url = portal.repos.set(
      '/chat/chat-web/catalog-info.yaml',
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: chat-web }
spec: { type: website, lifecycle: production, owner: chat-team }
`,
    );
    const registered = await portal.register(alice, url);
    expect(registered.status).toBe(201);
    const id = registered.body.location.id;
    const res = await as(
      portal.server,
      mallory,
      'delete',
      `/api/catalog/locations/${id}`,
    );
    expect(res.status).toBe(403);
    const still = await as(
      portal.server,
      pat,
      'get',
      `/api/catalog/locations/${id}`,
    );
    expect(still.status).toBe(200);
  });

  it("may neither read nor cancel another user's scaffolder task", async () => {
    const created = await as(
      portal.server,
      alice,
      'post',
      '/api/scaffolder/v2/tasks',
    ).send({ templateRef: 'template:default/wait-a-while', values: {} });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const cancel = await as(
      portal.server,
      mallory,
      'post',
      `/api/scaffolder/v2/tasks/${id}/cancel`,
    );
    expect(cancel.status).toBe(403);
    const read = await as(
      portal.server,
      mallory,
      'get',
      `/api/scaffolder/v2/tasks/${id}`,
    );
    expect([403, 404]).toContain(read.status);

    // its creator may
    const own = await as(
      portal.server,
      alice,
      'post',
      `/api/scaffolder/v2/tasks/${id}/cancel`,
    );
    expect(own.status).toBe(200);
  });

  it('may register a repository, but not bring a Group or a System with it', async () => {
    const entity = (kind: string, name: string, spec: string) =>
      `apiVersion: backstage.io/v1alpha1
kind: ${kind}
metadata: { name: ${name} }
spec: ${spec}
`;
    // A location that brings a kind it may not hold is refused as a whole.
    const withSystem = portal.repos.set(
      '/mallory/payments/catalog-info.yaml',
      [
        entity(
          'Component',
          'mallory-payments',
          '{ type: service, lifecycle: experimental, owner: mallory-team, system: payments }',
        ),
        entity('System', 'payments', '{ owner: mallory-team }'),
      ].join('---\n'),
    );
    const withGroup = portal.repos.set(
      '/mallory/admins/catalog-info.yaml',
      entity(
        'Group',
        'mallory-admins',
        '{ type: team, children: [], members: [mallory, pat] }',
      ),
    );
    // and one that only brings a Component, to see that registrations are processed
    const control = portal.repos.set(
      '/mallory/tool/catalog-info.yaml',
      entity(
        'Component',
        'mallory-tool',
        '{ type: service, lifecycle: experimental, owner: mallory-team }',
      ),
    );
    for (const url of [withSystem, withGroup, control]) {
      expect((await portal.register(mallory, url)).status).toBe(201);
    }
    await portal.waitForEntity('component/default/mallory-tool');
    for (const ref of [
      'system/default/payments',
      'group/default/mallory-admins',
      'component/default/mallory-payments',
    ]) {
      const found = await as(
        portal.server,
        pat,
        'get',
        `/api/catalog/entities/by-name/${ref}`,
      );
      expect(found.status).toBe(404);
    }
  });

  it('another team may not delete her entity; she may', async () => {
    const entity = await portal.waitForEntity('component/default/mallory-tool');
    const byOther = await as(
      portal.server,
      alice,
      'delete',
      `/api/catalog/entities/by-uid/${entity.metadata.uid}`,
    );
    expect(byOther.status).toBe(403);
    await waitFor('mallory to delete her own entity', async () => {
      const res = await as(
        portal.server,
        mallory,
        'delete',
        `/api/catalog/entities/by-uid/${entity.metadata.uid}`,
      );
      return res.status === 204 ? true : undefined;
    });
  });
});
