/**
 * @jest-environment node
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { MockFetchApi } from '@backstage/test-utils';
import { ReadinessClient } from './ReadinessClient';
import {
  csv,
  entitiesPage,
  overview,
  summary,
  trend,
} from '../components/__fixtures__/readiness';

/**
 * A FAKE of the three backends, on a real local HTTP server: it answers in
 * their published formats (READINESS-CONTRACT.md, platform-deploy's and
 * backup-status's entity endpoints) and records what it was asked, so the
 * client's URLs, headers and error handling go over real HTTP. The real
 * backends are read by the browser test.
 */
function startFake() {
  const requests: { url: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url!, authorization: req.headers.authorization });
    const url = new URL(req.url!, 'http://localhost');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/api/readiness/v1/overview':
        return json(200, overview);
      case '/api/readiness/v1/summary':
        return json(200, summary);
      case '/api/readiness/v1/entities':
        return json(
          200,
          entitiesPage({
            owner: url.searchParams.get('owner') ?? undefined,
            limit: Number(url.searchParams.get('limit')),
            offset: Number(url.searchParams.get('offset')),
          }),
        );
      case '/api/readiness/v1/overview.csv':
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
        return res.end(csv);
      case '/api/readiness/v1/trend':
        if (url.searchParams.get('days') === '400') {
          return json(400, {
            error: {
              name: 'InputError',
              message: 'query.days: Number must be less than or equal to 365',
            },
            response: { statusCode: 400 },
          });
        }
        return json(200, trend);
      case '/api/readiness/v1/entities/component/default/never-evaluated':
      case '/api/platform-deploy/v1/entities/component/default/unknown':
      case '/api/backup-status/v1/entities/component/default/unknown':
        return json(404, {
          error: { name: 'NotFoundError', message: 'not found' },
          response: { statusCode: 404 },
        });
      case '/api/platform-deploy/v1/entities/component/default/chat-backend':
        return json(200, { entityRef: 'component:default/chat-backend' });
      case '/api/backup-status/v1/entities/resource/default/chat-backend-db':
        return json(200, { entityRef: 'resource:default/chat-backend-db' });
      case '/api/backup-status/v1/entities/resource/default/forbidden':
        return json(403, {
          error: {
            name: 'NotAllowedError',
            message: 'Missing permission backup-status.read',
          },
          response: { statusCode: 403 },
        });
      case '/api/health/v1/entities/component/default/chat-backend/alerts':
        return json(200, { selector: {}, alerts: [{ fingerprint: 'a1' }] });
      case '/api/health/v1/entities/component/default/chat-backend/uptime':
        return json(200, { selector: {}, windows: [], demo: true });
      case '/api/health/v1/entities/component/default/unknown/alerts':
      case '/api/health/v1/entities/component/default/unknown/uptime':
        return json(404, {
          error: { name: 'NotFoundError', message: 'not found' },
          response: { statusCode: 404 },
        });
      default:
        return json(500, { error: { name: 'Error', message: 'unexpected' } });
    }
  });
  return new Promise<{
    client: ReadinessClient;
    requests: typeof requests;
    close: () => Promise<void>;
  }>(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      // upstream's test fetchApi: plugin:// resolved through this discovery,
      // the user's token on every request, as the app's fetchApi does
      const client = new ReadinessClient({
        fetchApi: new MockFetchApi({
          injectIdentityAuth: { token: 'user-token' },
          resolvePluginProtocol: {
            discoveryApi: {
              getBaseUrl: async pluginId =>
                `http://127.0.0.1:${port}/api/${pluginId}`,
            },
          },
        }),
      });
      resolve({
        client,
        requests,
        close: () => new Promise(r => server.close(() => r())),
      });
    });
  });
}

describe('ReadinessClient', () => {
  let fake: Awaited<ReturnType<typeof startFake>>;
  beforeAll(async () => {
    fake = await startFake();
  });
  afterAll(() => fake.close());

  it('reads the overview, the CSV as text and the trend for a number of days', async () => {
    await expect(fake.client.getOverview()).resolves.toEqual(overview);
    await expect(fake.client.getOverviewCsv()).resolves.toBe(csv);
    await expect(fake.client.getTrend(90)).resolves.toEqual(trend);
    expect(fake.requests.slice(-3)).toEqual([
      { url: '/api/readiness/v1/overview', authorization: 'Bearer user-token' },
      {
        url: '/api/readiness/v1/overview.csv',
        authorization: 'Bearer user-token',
      },
      {
        url: '/api/readiness/v1/trend?days=90',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('reads the summary, and a page of entities with its filters in the query', async () => {
    await expect(fake.client.getSummary()).resolves.toEqual(summary);
    const page = await fake.client.getEntities({
      owner: '',
      q: undefined,
      limit: 20,
      offset: 0,
    });
    expect(page.items.map(i => i.entityRef)).toEqual([
      'component:default/scratch',
    ]);
    expect(fake.requests.slice(-2)).toEqual([
      { url: '/api/readiness/v1/summary', authorization: 'Bearer user-token' },
      {
        // an empty owner is sent (the entities without one), an unset term is not
        url: '/api/readiness/v1/entities?owner=&limit=20&offset=0',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it("rejects with the backend's error: a bad days, an entity never evaluated", async () => {
    await expect(fake.client.getTrend(400)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      body: {
        error: {
          message: 'query.days: Number must be less than or equal to 365',
        },
      },
    });
    await expect(
      fake.client.getEntityReadiness('component:default/never-evaluated'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 404 });
  });

  it('reads production and backups of an entity; an entity a backend does not know is undefined', async () => {
    await expect(
      fake.client.getDeployments('component:default/chat-backend'),
    ).resolves.toEqual({ entityRef: 'component:default/chat-backend' });
    expect(fake.requests[fake.requests.length - 1].url).toBe(
      '/api/platform-deploy/v1/entities/component/default/chat-backend?environment=production&limit=1',
    );
    await expect(
      fake.client.getBackups('resource:chat-backend-db'),
    ).resolves.toEqual({ entityRef: 'resource:default/chat-backend-db' });
    expect(fake.requests[fake.requests.length - 1].url).toBe(
      '/api/backup-status/v1/entities/resource/default/chat-backend-db?limit=1',
    );
    await expect(
      fake.client.getDeployments('component:default/unknown'),
    ).resolves.toBeUndefined();
    await expect(
      fake.client.getBackups('component:default/unknown'),
    ).resolves.toBeUndefined();
  });

  it("reads an entity's health from its alerts and uptime; a health backend that does not know it is undefined", async () => {
    await expect(
      fake.client.getHealth('component:default/chat-backend'),
    ).resolves.toEqual({
      alerts: [{ fingerprint: 'a1' }],
      uptime: { selector: {}, windows: [], demo: true },
    });
    expect(
      fake.requests
        .slice(-2)
        .map(r => r.url)
        .sort(),
    ).toEqual([
      '/api/health/v1/entities/component/default/chat-backend/alerts',
      '/api/health/v1/entities/component/default/chat-backend/uptime',
    ]);
    await expect(
      fake.client.getHealth('component:default/unknown'),
    ).resolves.toBeUndefined();
    await expect(
      fake.client.getHealth('component:default/broken'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 500 });
  });

  it('rejects a refused read rather than taking it for "unknown"', async () => {
    await expect(
      fake.client.getBackups('resource:default/forbidden'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });

  it('encodes the parts of an entity ref in the path', async () => {
    await fake.client
      .getEntityReadiness('component:default/a b#c')
      .catch(() => undefined);
    expect(fake.requests[fake.requests.length - 1].url).toBe(
      '/api/readiness/v1/entities/component/default/a%20b%23c',
    );
  });
});
