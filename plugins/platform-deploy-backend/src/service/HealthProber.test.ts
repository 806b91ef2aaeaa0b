import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import http from 'node:http';
import net from 'node:net';
import { AddressInfo } from 'node:net';
import { DeploymentStore } from '../database/DeploymentStore';
import { HealthProber, probe } from './HealthProber';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Real local HTTP servers: one healthy, one failing, one that never answers. */
let server: http.Server;
let base: string;
let refusedUrl: string;
const hanging: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200).end('ok');
    else if (req.url === '/fail') res.writeHead(500).end('boom');
    else hanging.push(res); // /hang: never answers
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that refuses: bind, read the port, close.
  const probeServer = net.createServer();
  await new Promise<void>(r => probeServer.listen(0, '127.0.0.1', r));
  refusedUrl = `http://127.0.0.1:${
    (probeServer.address() as AddressInfo).port
  }/health`;
  await new Promise(r => probeServer.close(r));
});

afterAll(async () => {
  hanging.forEach(res => res.destroy());
  server.closeAllConnections();
  await new Promise(r => server.close(r));
});

describe('probe', () => {
  it('is up on 200, down on 500, on a hang after the timeout, and on a refused port', async () => {
    expect(await probe(`${base}/ok`, 1000)).toMatchObject({
      ok: true,
      statusCode: 200,
    });
    expect(await probe(`${base}/fail`, 1000)).toMatchObject({
      ok: false,
      statusCode: 500,
    });
    // the probe's own timeout ends a request that never answers
    const hang = await probe(`${base}/hang`, 300);
    expect(hang).toMatchObject({ ok: false, error: 'TimeoutError' });
    expect(hang.statusCode).toBeUndefined();
    const refused = await probe(refusedUrl, 1000);
    expect(refused.ok).toBe(false);
    expect(refused.statusCode).toBeUndefined();
    expect(refused.error).not.toBe('TimeoutError');
  });
});

describe('HealthProber', () => {
  it('marks a service down only after two consecutive failed probes', async () => {
    const knex = await databases.init('SQLITE_3');
    const real = await DeploymentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const urls: Record<string, string> = {
      'component:default/healthy': `${base}/ok`,
      'component:default/failing': `${base}/fail`,
      'component:default/hanging': `${base}/hang`,
      'component:default/refused': refusedUrl,
    };
    await real.syncEntities(
      Object.entries(urls).map(([entityRef, url]) => ({
        entityRef,
        name: entityRef.split('/')[1],
        environments: ['production'],
        healthUrls: { production: url },
      })),
      new Date(),
    );
    await real.insertEvents(
      Object.keys(urls).map(entityRef => ({
        entityRef,
        environment: 'production',
        version: 'main-aaa1111',
        status: 'succeeded' as const,
        idempotencyKey: `k-${entityRef}`,
        source: 'http',
        receivedAt: new Date(),
      })),
    );
    const prober = new HealthProber({
      store: real,
      logger: mockServices.logger.mock(),
      timeoutMs: 300,
      concurrency: 2,
      downAfterFailures: 2,
    });
    const health = async () =>
      Object.fromEntries(
        await Promise.all(
          Object.keys(urls).map(async ref => [
            ref.split('/')[1],
            (await real.getStates(ref))[0],
          ]),
        ),
      );

    expect(await prober.probeAll()).toEqual({ probed: 4, failed: 3 });
    let states = await health();
    expect(states.healthy).toMatchObject({
      health: 'up',
      healthStatusCode: 200,
    });
    expect(states.failing.health).toBe('unknown');
    expect(states.failing.healthStatusCode).toBe(500);

    await prober.probeAll();
    states = await health();
    expect(states.healthy.health).toBe('up');
    expect(states.failing.health).toBe('down');
    expect(states.hanging.health).toBe('down');
    expect(states.refused.health).toBe('down');
    // a timed-out probe records no status code, but records that it ran
    expect(states.hanging.healthStatusCode).toBeUndefined();
    expect(states.hanging.healthCheckedAt).toBeDefined();
  });
});
