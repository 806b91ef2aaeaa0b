/**
 * @jest-environment node
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { MockFetchApi } from '@backstage/test-utils';
import { QualityClient } from './QualityClient';
import { history, report, scans } from '../components/__fixtures__/quality';

/**
 * A FAKE of the code-coverage and image-scans backends on a real local HTTP
 * server, answering in their published formats and recording what it was
 * asked; the real backends are read by the browser test (quality.test.ts).
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
    const entity = url.searchParams.get('entity');
    switch (url.pathname) {
      case '/api/code-coverage/report':
        if (entity === 'component:default/chat-backend') {
          return json(200, report);
        }
        return json(404, {
          error: { name: 'NotFoundError', message: 'No coverage' },
          response: { statusCode: 404 },
        });
      case '/api/code-coverage/history':
        return json(200, history);
      case '/api/image-scans/v1/entities/component/default/chat-backend':
        return json(200, scans);
      case '/api/image-scans/v1/entities/component/default/forbidden':
        return json(403, {
          error: {
            name: 'NotAllowedError',
            message: 'Missing permission image-scans.read',
          },
          response: { statusCode: 403 },
        });
      default:
        return json(500, { error: { name: 'Error', message: 'unexpected' } });
    }
  });
  return new Promise<{
    client: QualityClient;
    requests: typeof requests;
    close: () => Promise<void>;
  }>(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      // upstream's test fetchApi, resolving plugin:// and adding the token
      // as the app's fetchApi does
      const client = new QualityClient({
        fetchApi: new MockFetchApi({
          resolvePluginProtocol: {
            discoveryApi: {
              getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
            },
          },
          injectIdentityAuth: { token: 'user-token' },
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

describe('QualityClient', () => {
  let fake: Awaited<ReturnType<typeof startFake>>;
  beforeAll(async () => {
    fake = await startFake();
  });
  afterAll(() => fake.close());

  it('reads coverage and its history under the full entity ref, with the user token', async () => {
    await expect(
      fake.client.getCoverage('component:chat-backend'),
    ).resolves.toEqual(report);
    await expect(
      fake.client.getCoverageHistory('Component:default/chat-backend', 30),
    ).resolves.toEqual(history);
    expect(fake.requests.slice(-2)).toEqual([
      {
        url: '/api/code-coverage/report?entity=component%3Adefault%2Fchat-backend',
        authorization: 'Bearer user-token',
      },
      {
        url: '/api/code-coverage/history?entity=component%3Adefault%2Fchat-backend&limit=30',
        authorization: 'Bearer user-token',
      },
    ]);
  });

  it('resolves undefined when no coverage was reported (404)', async () => {
    await expect(
      fake.client.getCoverage('component:default/never-reported'),
    ).resolves.toBeUndefined();
  });

  it('reads the image scans per environment; a refusal rejects with its status', async () => {
    await expect(
      fake.client.getImageScans('component:default/chat-backend'),
    ).resolves.toEqual(scans);
    await expect(
      fake.client.getImageScans('component:default/forbidden'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });
});
