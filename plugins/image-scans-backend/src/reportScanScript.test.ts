import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { handMadeTrivyReport } from './__fixtures__/trivy';
import {
  bearer,
  startImageScansBackend,
  tokens,
} from './__testUtils__/startImageScansBackend';

jest.setTimeout(60_000);

const script = path.resolve(__dirname, '../../../scripts/report-scan');
const run = promisify(execFile);

/**
 * A real HTTP proxy in front of the backend that forwards the first report
 * but loses its answer (502, as a load balancer does when the backend's
 * answer never reaches it), then forwards the rest as they come.
 */
async function startLossyProxy(target: string) {
  const posts: string[] = [];
  const proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    posts.push(body);
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: {
        authorization: req.headers.authorization ?? '',
        'content-type': req.headers['content-type'] ?? '',
      },
      body,
    });
    const text = await answer.text();
    if (posts.length === 1) {
      res.writeHead(502).end('Bad Gateway');
      return;
    }
    res
      .writeHead(answer.status, { 'content-type': 'application/json' })
      .end(text);
  });
  await new Promise<void>(resolve => proxy.listen(0, resolve));
  const url = `http://localhost:${(proxy.address() as AddressInfo).port}`;
  return { url, posts, close: () => proxy.close() };
}

/** scripts/report-scan, the command CI calls, run for real against a real backend over HTTP. */
describe('scripts/report-scan', () => {
  let server: Awaited<ReturnType<typeof startImageScansBackend>>;
  let url: string;
  let dir: string;
  const outputs: string[] = [];

  const report = (name: string, body: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(body));
    return file;
  };
  const scan = async (args: string[], env: { token: string; url?: string }) => {
    try {
      const result = await run(process.execPath, [script, ...args], {
        env: {
          ...process.env,
          PLATFORM_URL: env.url ?? url,
          PLATFORM_INGEST_TOKEN: env.token,
          PLATFORM_RETRY_DELAY_MS: '10',
        },
      });
      outputs.push(result.stdout, result.stderr);
      return { code: 0, ...result };
    } catch (error) {
      const { code, stdout, stderr } = error as {
        code: number;
        stdout: string;
        stderr: string;
      };
      outputs.push(stdout, stderr);
      return { code, stdout, stderr };
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-scan-'));
    server = await startImageScansBackend();
    url = `http://localhost:${(server.address() as AddressInfo).port}`;
    const deploy = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', bearer(tokens.chat))
      .send({
        entityRef: 'component:default/chat-backend',
        environment: 'production',
        version: 'main-abc1234',
        status: 'succeeded',
        idempotencyKey: 'deploy-1',
      });
    if (deploy.status !== 200) {
      throw new Error(
        `the deploy report failed: ${deploy.status} ${deploy.text}`,
      );
    }
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    // whatever it printed, the script never printed a token
    const printed = outputs.join('\n');
    for (const token of Object.values(tokens)) {
      if (printed.includes(token)) {
        throw new Error('scripts/report-scan printed a token');
      }
    }
  });

  it('posts a Trivy report that the entity page then shows for the version live in production', async () => {
    const file = report('trivy.json', handMadeTrivyReport());
    const result = await scan(
      [
        '--entity',
        'component:default/chat-backend',
        '--version',
        'main-abc1234',
        '--file',
        file,
      ],
      { token: tokens.chat },
    );
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('"stored":1');

    const res = await request(server)
      .get('/api/image-scans/v1/entities/component/default/chat-backend')
      .set('authorization', bearer(tokens.reader));
    const production = res.body.environments.find(
      (e: { environment: string }) => e.environment === 'production',
    );
    expect(production).toMatchObject({
      version: 'main-abc1234',
      counts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1 },
    });
  });

  it('retries a lost answer with the same report, which the portal stores once', async () => {
    const proxy = await startLossyProxy(url);
    try {
      const file = report(
        'retry.json',
        handMadeTrivyReport({ imageId: `sha256:${'a'.repeat(64)}` }),
      );
      const result = await scan(
        [
          '--entity',
          'component:default/chat-backend',
          '--version',
          'main-retry',
          '--file',
          file,
        ],
        { token: tokens.chat, url: proxy.url },
      );
      expect(result).toMatchObject({ code: 0 });
      // the first post was stored but its answer lost; the retry, the same content, was a duplicate
      expect(proxy.posts).toHaveLength(2);
      expect(proxy.posts[1]).toBe(proxy.posts[0]);
      expect(result.stdout).toContain('"stored":0,"duplicates":1');
    } finally {
      proxy.close();
    }
  });

  it("exits non-zero naming the 403 and its message for another team's credential, storing nothing", async () => {
    const file = report(
      'other.json',
      handMadeTrivyReport({ imageId: `sha256:${'b'.repeat(64)}` }),
    );
    const args = [
      '--entity',
      'component:default/chat-backend',
      '--version',
      'main-other',
      '--file',
      file,
    ];
    const refused = await scan(args, { token: tokens.billing });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('the portal answered 403');
    expect(refused.stderr).toContain(
      'query.entity: ci-billing-team may not report for component:default/chat-backend',
    );
    // nothing was stored: the owner's own first post of it stores it
    const owner = await scan(args, { token: tokens.chat });
    expect(owner.stdout).toContain('"stored":1,"duplicates":0');
  });

  it('exits non-zero naming the field the portal refuses, and a file that is not JSON before posting', async () => {
    const file = report('bad.json', {
      ...handMadeTrivyReport(),
      SchemaVersion: 1,
    });
    const bad = await scan(
      [
        '--entity',
        'component:default/chat-backend',
        '--version',
        'main-bad',
        '--file',
        file,
      ],
      { token: tokens.chat },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/the portal answered 400: .*SchemaVersion/);

    const text = path.join(dir, 'trivy.txt');
    fs.writeFileSync(text, 'Total: 3 (CRITICAL: 1)');
    const notJson = await scan(
      [
        '--entity',
        'component:default/chat-backend',
        '--version',
        'main-bad',
        '--file',
        text,
      ],
      { token: tokens.chat, url: 'http://localhost:9' },
    );
    expect(notJson.code).not.toBe(0);
    expect(notJson.stderr).toContain('is not JSON (trivy image --format json)');
  });
});
