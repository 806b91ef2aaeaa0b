/*
 * Trust issue, items 2 and 6: production changes through the real
 * scaffolder. Rollback and promotion pin an image with
 * platform:gitops:set-image; only the owners of a service from a trusted
 * location (and the platform team) may, for that service's own GitOps path,
 * and only as a signed-in user.
 */
import { Portal, startPortal, TOKENS } from './__testUtils__/harness';

jest.setTimeout(300_000);

describe('hostile tenant: production changes through templates', () => {
  let portal: Portal;
  let mallory: string;
  let alice: string;

  beforeAll(async () => {
    portal = await startPortal();
    [mallory, alice] = await Promise.all(
      ['mallory', 'alice'].map(name => portal.signIn(name)),
    );
    await portal.waitForEntity('template/default/pin-image');
  });
  afterAll(() => portal?.stop());

  it('the owner pins her own service (the baseline)', async () => {
    const task = await portal.runTask(alice, 'template:default/pin-image', {
      entityRef: 'component:default/chat-backend',
      tag: 'main-1111111',
    });
    expect(task.log).toMatch(/main-1111111/);
    expect(task.status).toBe('completed');
  });

  it("a look-alike entity in her own namespace does not reach the real service's path", async () => {
    // Mallory registers component:mallory/quote-backend, owned by her team.
    const url = portal.repos.set(
      '/mallory/quote-backend/catalog-info.yaml',
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: quote-backend, namespace: mallory }
spec: { type: service, lifecycle: production, owner: group:default/mallory-team }
`,
    );
    expect((await portal.register(mallory, url)).status).toBe(201);
    await portal.waitForEntity('component/mallory/quote-backend');
    const task = await portal.runTask(mallory, 'template:default/pin-image', {
      entityRef: 'component:mallory/quote-backend',
      tag: 'main-evil001',
    });
    expect(task.status).toBe('failed');
    expect(task.log).toMatch(/trusted/i);
    expect(task.log).not.toMatch(/quote-backend: production .*main-evil001/);
  });

  it("an owner may not point the change at another service's path", async () => {
    const task = await portal.runTask(alice, 'template:default/pin-image', {
      entityRef: 'component:default/chat-backend',
      name: 'quote-backend',
      tag: 'main-evil002',
    });
    expect(task.status).toBe('failed');
    expect(task.log).toMatch(
      /platform-deploy\.gitops\.override|platform team/i,
    );
  });

  it('a service credential may not trigger a production change', async () => {
    const task = await portal.runTask(
      TOKENS.observer,
      'template:default/pin-image',
      { entityRef: 'component:default/quote-backend', tag: 'main-evil003' },
    );
    expect(task.status).not.toBe('completed');
    expect(task.log).toMatch(/user/i);
  });
});
