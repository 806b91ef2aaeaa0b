/* eslint-disable no-script-url */ // javascript: URLs are the attack corpus here, as data
/*
 * Trust issue, item 4: another team's CI credential. Every team's CI holds a
 * token of its own; none may change another team's status. Each refusal is a
 * 4xx that says why, and nothing is stored.
 */
import { as, Portal, startPortal, TOKENS } from './__testUtils__/harness';

jest.setTimeout(240_000);

describe('hostile tenant: another team’s CI credential', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
    // the deploy store knows both services before the attacks
    await portal.waitForDeployable('component:default/quote-backend');
  });
  afterAll(() => portal?.stop());

  const deploy = (entity: string, key: string, extra = {}) => ({
    entityRef: `component:default/${entity}`,
    environment: 'production',
    version: 'main-abc1234',
    status: 'succeeded',
    idempotencyKey: key,
    ...extra,
  });

  const history = async (entity: string) => {
    const res = await as(
      portal.server,
      TOKENS.observer,
      'get',
      `/api/platform-deploy/v1/entities/component/default/${entity}`,
    );
    expect(res.status).toBe(200);
    return res.body.totalHistory as number;
  };

  const runs = async (resource: string) => {
    const res = await as(
      portal.server,
      TOKENS.observer,
      'get',
      `/api/backup-status/v1/entities/resource/default/${resource}`,
    );
    expect(res.status).toBe(200);
    return res.body.totalRuns as number;
  };

  it('chat CI may not report a deploy of quote-backend (403, nothing stored)', async () => {
    const before = await history('quote-backend');
    const res = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/platform-deploy/v1/events',
    ).send(deploy('quote-backend', 'hostile-ingest-0001'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /ci-chat may not report for component:default\/quote-backend/,
    );
    expect(await history('quote-backend')).toBe(before);
  });

  it('a batch with one foreign event stores nothing, its own events included', async () => {
    const chatBefore = await history('chat-backend');
    const quoteBefore = await history('quote-backend');
    const res = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/platform-deploy/v1/events',
    ).send({
      events: [
        deploy('chat-backend', 'hostile-ingest-0002'),
        deploy('quote-backend', 'hostile-ingest-0003'),
      ],
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/events\[1\]/);
    expect(await history('chat-backend')).toBe(chatBefore);
    expect(await history('quote-backend')).toBe(quoteBefore);
  });

  it("chat CI may not report a backup of quote's database (403, nothing stored)", async () => {
    const before = await runs('quote-db');
    const res = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/backup-status/v1/runs',
    ).send({
      entityRef: 'resource:default/quote-db',
      type: 'backup',
      status: 'failed',
      startedAt: new Date(Date.now() - 600_000).toISOString(),
      finishedAt: new Date(Date.now() - 500_000).toISOString(),
      idempotencyKey: 'hostile-backup-0001',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /ci-chat may not report for resource:default\/quote-db/,
    );
    expect(await runs('quote-db')).toBe(before);
  });

  it('the same key with other content is a conflict (409), not a duplicate', async () => {
    const first = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/platform-deploy/v1/events',
    ).send(deploy('chat-backend', 'hostile-ingest-0004'));
    expect(first.status).toBe(200);
    const retry = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/platform-deploy/v1/events',
    ).send(deploy('chat-backend', 'hostile-ingest-0004'));
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ stored: 0, duplicates: 1 });
    const before = await history('chat-backend');
    const other = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/platform-deploy/v1/events',
    ).send(deploy('chat-backend', 'hostile-ingest-0004', { status: 'failed' }));
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/hostile-ingest-0004/);
    expect(await history('chat-backend')).toBe(before);
  });

  it("a key claimed by one credential does not block another source's event", async () => {
    // Mallory's CI cannot pre-claim the key GitHub's webhook will use for
    // chat-backend's next deployment status: keys are scoped per source.
    const claimed = await as(
      portal.server,
      TOKENS.platform,
      'post',
      '/api/platform-deploy/v1/events',
    ).send(deploy('chat-backend', 'shared-key-00000001'));
    expect(claimed.status).toBe(200);
    const before = await history('chat-backend');
    const own = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/platform-deploy/v1/events',
    ).send(deploy('chat-backend', 'shared-key-00000001', { status: 'failed' }));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ stored: 1 });
    expect(await history('chat-backend')).toBe(before + 1);
  });

  it('a reported time an hour ahead is refused (400 naming the field)', async () => {
    const before = await history('chat-backend');
    const res = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/platform-deploy/v1/events',
    ).send(
      deploy('chat-backend', 'hostile-ingest-0005', {
        finishedAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/finishedAt/);
    expect(await history('chat-backend')).toBe(before);
  });

  it('a run URL that is not http(s) never reaches a page (400)', async () => {
    for (const runUrl of [
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
    ]) {
      const res = await as(
        portal.server,
        TOKENS.chat,
        'post',
        '/api/platform-deploy/v1/events',
      ).send(
        deploy('chat-backend', `hostile-url-${runUrl.length}`, { runUrl }),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/runUrl/);
    }
  });
});
