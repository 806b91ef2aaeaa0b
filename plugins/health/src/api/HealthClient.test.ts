/**
 * @jest-environment node
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { MockFetchApi } from '@backstage/test-utils';
import { HealthClient } from './HealthClient';

/**
 * A FAKE of the health backend on a real local HTTP server, answering in its
 * formats and recording what it was asked, so that the client's URLs,
 * bodies and error handling go over real HTTP. The real backend is read by
 * the browser test (packages/app/e2e-tests/health.test.ts).
 */
function startFake() {
  const requests: {
    method: string;
    url: string;
    body: string;
    type?: string;
  }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      requests.push({
        method: req.method!,
        url: req.url!,
        body,
        type: req.headers['content-type'],
      });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url!.includes('/forbidden/')) {
        return json(403, {
          error: {
            name: 'NotAllowedError',
            message: 'Missing permission health.silence.create',
          },
          response: { statusCode: 403 },
        });
      }
      if (req.method === 'POST') {
        return json(201, { silenceId: 's-1', ...JSON.parse(body) });
      }
      return json(200, { services: [], unmatchedFiring: 0, demo: true });
    });
  });
  return new Promise<{
    baseUrl: string;
    requests: typeof requests;
    close: () => void;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}/api/health`,
        requests,
        close: () => server.close(),
      });
    }),
  );
}

describe('HealthClient', () => {
  let fake: Awaited<ReturnType<typeof startFake>>;
  let client: HealthClient;
  beforeAll(async () => {
    fake = await startFake();
    client = new HealthClient({
      fetchApi: new MockFetchApi({
        resolvePluginProtocol: {
          discoveryApi: { getBaseUrl: async () => fake.baseUrl },
        },
      }),
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.requests.splice(0));

  it('reads the entity endpoints by its ref', async () => {
    await client.getAlerts('component:default/chat-backend');
    await client.getIncidents('Component:default/chat-backend');
    await client.getUptime('component:ns 1/a b');
    expect(fake.requests.map(r => r.url)).toEqual([
      '/api/health/v1/entities/component/default/chat-backend/alerts',
      '/api/health/v1/entities/Component/default/chat-backend/incidents',
      '/api/health/v1/entities/component/ns%201/a%20b/uptime',
    ]);
  });

  it('passes the search to the overview only when set', async () => {
    await client.getOverview();
    await client.getOverview({ q: 'chat back' });
    await client.getOverview({ q: '' });
    expect(fake.requests.map(r => r.url)).toEqual([
      '/api/health/v1/overview',
      '/api/health/v1/overview?q=chat+back',
      '/api/health/v1/overview',
    ]);
  });

  it('posts a silence as JSON', async () => {
    const silence = await client.createSilence(
      'component:default/chat-backend',
      {
        reason: 'deploying the fix',
        endsAt: '2026-12-02T12:00:00.000Z',
      },
    );
    expect(silence.silenceId).toBe('s-1');
    expect(fake.requests[0]).toEqual({
      method: 'POST',
      url: '/api/health/v1/entities/component/default/chat-backend/silences',
      type: 'application/json',
      body: JSON.stringify({
        reason: 'deploying the fix',
        endsAt: '2026-12-02T12:00:00.000Z',
      }),
    });
  });

  it('rejects with the backend message as a ResponseError', async () => {
    await expect(
      client.createSilence('component:default/forbidden', {
        reason: 'xyz',
        endsAt: '2026-12-02T12:00:00.000Z',
      }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      body: { error: { message: 'Missing permission health.silence.create' } },
    });
  });
});
