/* eslint-disable no-script-url */ // javascript: URLs are the attack corpus here, as data
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import { EnvironmentState } from '@platform-portal/backstage-plugin-platform-deploy-common';
import { DeploymentStore } from '../database/DeploymentStore';
import {
  HEALTH_PROBE_TASK_ID,
  HealthProber,
  validateProbeSchedule,
} from './HealthProber';
import { Lookup, parseAllowedHosts, probe, refusedAddress } from './probe';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/**
 * Real local HTTP servers on 127.0.0.1: one healthy, one failing, one that
 * never answers, one that redirects; every request they get is recorded.
 */
let server: http.Server;
let port: number;
let base: string;
let refusedUrl: string;
const hits: string[] = [];
const hanging: http.ServerResponse[] = [];

/** The loopback server is allowlisted for the tests of what a probe finds. */
const local = parseAllowedHosts(['127.0.0.1']);

/** A resolver that maps public-looking names to 127.0.0.1 (a DNS answer inside). */
const resolvesInside: Lookup = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(`${req.headers.host}${req.url}`);
    if (req.url === '/ok') res.writeHead(200).end('ok');
    else if (req.url === '/fail') res.writeHead(500).end('boom');
    else if (req.url === '/redirect') {
      res.writeHead(302, { location: `${base}/secret` }).end();
    } else hanging.push(res); // /hang: never answers
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  // A port that refuses: bind, read the port, close.
  const probeServer = net.createServer();
  await new Promise<void>(r => probeServer.listen(0, '127.0.0.1', r));
  refusedUrl = `http://127.0.0.1:${
    (probeServer.address() as AddressInfo).port
  }/health`;
  await new Promise(r => probeServer.close(r));
});

beforeEach(() => {
  hits.length = 0;
});

afterAll(async () => {
  hanging.forEach(res => res.destroy());
  server.closeAllConnections();
  await new Promise(r => server.close(r));
});

describe('probe', () => {
  it('is up on 200, down on 500, on a hang after the timeout, and on a refused port', async () => {
    const options = { timeoutMs: 1000, allowedHosts: local };
    expect(await probe(`${base}/ok`, options)).toMatchObject({
      ok: true,
      statusCode: 200,
    });
    expect(await probe(`${base}/fail`, options)).toMatchObject({
      ok: false,
      statusCode: 500,
    });
    // the probe's own timeout ends a request that never answers
    const hang = await probe(`${base}/hang`, { ...options, timeoutMs: 300 });
    expect(hang).toMatchObject({ ok: false, error: 'TimeoutError' });
    expect(hang.statusCode).toBeUndefined();
    const refused = await probe(refusedUrl, options);
    expect(refused.ok).toBe(false);
    expect(refused.statusCode).toBeUndefined();
    expect(refused.error).not.toBe('TimeoutError');
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    const result = await probe(`${base}/redirect`, {
      timeoutMs: 1000,
      allowedHosts: local,
    });
    expect(result).toMatchObject({ ok: true, statusCode: 302 });
    expect(hits).toEqual([`127.0.0.1:${port}/redirect`]);
  });

  it.each([
    ['file:///etc/passwd', 'file: is not http(s)'],
    ['javascript:alert(1)', 'javascript: is not http(s)'],
    ['gopher://127.0.0.1:6379/_FLUSHALL', 'gopher: is not http(s)'],
    ['not a url', 'not a URL'],
  ])('refuses %s without a request', async (url, reason) => {
    expect(await probe(url, { timeoutMs: 1000 })).toMatchObject({
      ok: false,
      refused: reason,
    });
  });

  it('refuses loopback, private, link-local, metadata and unspecified addresses in the URL', async () => {
    for (const [host, reason] of [
      ['127.0.0.1', '127.0.0.1 is a loopback address'],
      ['10.0.0.1', '10.0.0.1 is a private address'],
      ['192.168.1.10', '192.168.1.10 is a private address'],
      ['169.254.169.254', '169.254.169.254 is the cloud metadata address'],
      ['169.254.10.1', '169.254.10.1 is a linkLocal address'],
      ['0.0.0.0', '0.0.0.0 is a unspecified address'],
      ['[::1]', '::1 is a loopback address'],
      ['[fd00:ec2::254]', 'fd00:ec2::254 is the cloud metadata address'],
      ['[fe80::1]', 'fe80::1 is a linkLocal address'],
      ['[::ffff:127.0.0.1]', '::ffff:7f00:1 is a loopback address'],
    ]) {
      expect(
        await probe(`http://${host}:${port}/ok`, { timeoutMs: 1000 }),
      ).toEqual({ ok: false, latencyMs: 0, refused: reason });
    }
    expect(hits).toEqual([]);
  });

  it('refuses a name that resolves inside, at connect time, unless its host is allowlisted', async () => {
    const url = `http://health.example.com:${port}/ok`;
    const refused = await probe(url, {
      timeoutMs: 1000,
      lookup: resolvesInside,
    });
    expect(refused).toMatchObject({
      ok: false,
      refused: 'health.example.com resolves to 127.0.0.1 is a loopback address',
    });
    expect(hits).toEqual([]);

    for (const entry of ['health.example.com', `HEALTH.example.com:${port}`]) {
      expect(
        await probe(url, {
          timeoutMs: 1000,
          lookup: resolvesInside,
          allowedHosts: parseAllowedHosts([entry]),
        }),
      ).toMatchObject({ ok: true, statusCode: 200 });
    }
    // another port of an allowlisted host:port is not allowlisted
    expect(
      await probe(url, {
        timeoutMs: 1000,
        lookup: resolvesInside,
        allowedHosts: parseAllowedHosts([`health.example.com:${port + 1}`]),
      }),
    ).toMatchObject({ refused: expect.stringMatching(/loopback/) });
    expect(hits).toEqual([
      `health.example.com:${port}/ok`,
      `health.example.com:${port}/ok`,
    ]);
  });

  it('stops a probe in flight when its signal aborts', async () => {
    const controller = new AbortController();
    const pending = probe(`${base}/hang`, {
      timeoutMs: 10_000,
      allowedHosts: local,
      signal: controller.signal,
    });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: 'AbortError' });
  });
});

describe('refusedAddress', () => {
  it('lets public unicast addresses through only', () => {
    expect(refusedAddress('8.8.8.8')).toBeUndefined();
    expect(refusedAddress('2606:4700::1111')).toBeUndefined();
    for (const address of [
      '172.16.0.1',
      '100.100.100.200', // carrier-grade NAT, a cloud's metadata address
      '224.0.0.1',
      '255.255.255.255',
      '::',
      'fc00::1',
      '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    ]) {
      expect(refusedAddress(address)).toMatch(/address$/);
    }
  });
});

describe('validateProbeSchedule', () => {
  it('refuses a probe timeout that is not shorter than the cadence or the task timeout', () => {
    expect(() =>
      validateProbeSchedule(5000, {
        frequency: { minutes: 1 },
        timeout: { minutes: 1 },
      }),
    ).not.toThrow();
    expect(() =>
      validateProbeSchedule(60_000, {
        frequency: { minutes: 1 },
        timeout: { minutes: 5 },
      }),
    ).toThrow(
      'platformDeploy.healthProbe.timeoutMs (60000 ms) must be shorter than the probe cadence, platformDeploy.healthProbe.schedule.frequency (60000 ms)',
    );
    expect(() =>
      validateProbeSchedule(5000, {
        frequency: { cron: '* * * * *' },
        timeout: { seconds: 5 },
      }),
    ).toThrow(/schedule.timeout \(5000 ms\)/);
  });

  it('is checked when the prober is scheduled', async () => {
    const prober = new HealthProber({
      store: {} as DeploymentStore,
      logger: mockServices.logger.mock(),
      timeoutMs: 5000,
      concurrency: 1,
      downAfterFailures: 2,
    });
    const scheduler = mockServices.scheduler.mock();
    await expect(
      prober.schedule(scheduler, {
        frequency: { seconds: 2 },
        timeout: { seconds: 10 },
      }),
    ).rejects.toThrow(/must be shorter than the probe cadence/);
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});

describe.each(databases.eachSupportedId())('HealthProber on %s', id => {
  async function storeWith(
    urls: Record<string, string>,
    options: { untrusted?: string[] } = {},
  ) {
    const knex = await databases.init(id);
    const store = await DeploymentStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await store.syncEntities(
      Object.entries(urls).map(([entityRef, url]) => ({
        entityRef,
        name: entityRef.split('/')[1],
        environments: ['production'],
        healthUrls: { production: url },
        trusted: !options.untrusted?.includes(entityRef),
      })),
      new Date(),
    );
    await store.insertEvents(
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
    const health = async (): Promise<Record<string, EnvironmentState>> =>
      Object.fromEntries(
        await Promise.all(
          Object.keys(urls).map(async ref => [
            ref.split('/')[1],
            (await store.getStates(ref))[0],
          ]),
        ),
      );
    return { store, health };
  }

  it('marks a service down only after two consecutive failed probes', async () => {
    const urls: Record<string, string> = {
      'component:default/healthy': `${base}/ok`,
      'component:default/failing': `${base}/fail`,
      'component:default/hanging': `${base}/hang`,
      'component:default/refused': refusedUrl,
    };
    const { store, health } = await storeWith(urls);
    const prober = new HealthProber({
      store,
      logger: mockServices.logger.mock(),
      timeoutMs: 300,
      concurrency: 2,
      downAfterFailures: 2,
      allowedHosts: local,
    });

    expect(await prober.probeAll()).toEqual({
      probed: 4,
      failed: 3,
      refused: 0,
      aborted: false,
    });
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

  it('probes entities from trusted locations only, and records nothing for a refused probe', async () => {
    const { store, health } = await storeWith(
      {
        'component:default/trusted': `http://chat.example.com:${port}/ok`,
        'component:default/inside': `http://quote.example.com:${port}/ok`,
        'component:default/registered': `http://mallory.example.com:${port}/ok`,
      },
      { untrusted: ['component:default/registered'] },
    );
    const logger = mockServices.logger.mock();
    const prober = new HealthProber({
      store,
      logger,
      timeoutMs: 1000,
      concurrency: 2,
      downAfterFailures: 2,
      lookup: resolvesInside,
      allowedHosts: parseAllowedHosts([`chat.example.com:${port}`]),
    });
    expect(await prober.probeAll()).toEqual({
      probed: 1,
      failed: 0,
      refused: 1,
      aborted: false,
    });
    expect(hits).toEqual([`chat.example.com:${port}/ok`]);
    const states = await health();
    expect(states.trusted.health).toBe('up');
    expect(states.inside.healthCheckedAt).toBeUndefined();
    expect(states.registered.healthCheckedAt).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith('Refused to probe a health URL', {
      entityRef: 'component:default/inside',
      environment: 'production',
      url: `http://quote.example.com:${port}/ok`,
      reason: 'quote.example.com resolves to 127.0.0.1 is a loopback address',
    });
  });

  it('stops when the task is aborted: no new probe, none recorded', async () => {
    const urls = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [
        `component:default/slow-${i}`,
        `${base}/hang`,
      ]),
    );
    const { store, health } = await storeWith(urls);
    const scheduler = mockServices.scheduler();
    const logger = mockServices.logger.mock();
    const prober = new HealthProber({
      store,
      logger,
      timeoutMs: 5000,
      concurrency: 2,
      downAfterFailures: 1,
      allowedHosts: local,
    });
    await prober.schedule(scheduler, {
      frequency: { minutes: 1 },
      timeout: { minutes: 1 },
    });
    const waiting = hanging.length;
    const run = scheduler.triggerTask(HEALTH_PROBE_TASK_ID);
    // two probes in flight (the concurrency), then the task is cancelled
    const deadline = Date.now() + 5000;
    while (hanging.length < waiting + 2 && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 20));
    }
    await scheduler.cancelTask(HEALTH_PROBE_TASK_ID);
    await run;
    expect(logger.debug).toHaveBeenCalledWith('Probed health URLs', {
      probed: 0,
      failed: 0,
      refused: 0,
      aborted: true,
    });
    expect(hits).toHaveLength(2);
    const states = Object.values(await health());
    expect(states.map(s => s.healthCheckedAt)).toEqual(
      states.map(() => undefined),
    );
  });
});
