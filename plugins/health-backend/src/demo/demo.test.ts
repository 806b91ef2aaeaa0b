/*
 * The embedded default: no health.alertmanager or health.prometheus. The
 * plugin feeds its demo through the webhook's path and serves it marked as
 * demo, with the real catalog and permission backends and the portal's
 * policy; it fetches nothing (the
 * catalog client it calls has its own fetch).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import platformPolicy from '@platform-portal/backstage-plugin-permission-backend-module-platform-policy';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { healthPlugin } from '../plugin';
import { memberAuth } from '../__testUtils__/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';

jest.setTimeout(60_000);

const SERVICES = Array.from({ length: 24 }, (_, i) => `svc-${i}`);

describe('health without a monitoring stack (the demo)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-demo-'));
  const fetched: string[] = [];
  const realFetch = global.fetch;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    global.fetch = (async (input: any, init?: any) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    }) as typeof fetch;
    fs.writeFileSync(
      path.join(dir, 'catalog.yaml'),
      SERVICES.map(
        name => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: group:default/team-a
`,
      ).join('---\n'),
    );
    ({ server } = await startTestBackend({
      features: [
        healthPlugin,
        catalogBackend,
        permissionBackend,
        platformPolicy,
        ...memberAuth,
        httpAuthServiceFactory,
        // the real scheduler: the feed runs as in the backend, after its delay
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            permission: { enabled: true },
            platformPolicy: { platformTeams: ['group:default/platform-team'] },
            catalog: {
              rules: [{ allow: ['Component'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'catalog.yaml') },
              ],
            },
          },
        }),
      ],
    }));
  });

  afterAll(() => {
    global.fetch = realFetch;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (p: string) =>
    request(server)
      .get(`/api/health${p}`)
      .set('authorization', mockCredentials.user.header('user:default/alice'));

  it('serves demo alerts, incidents and uptime, marked as demo, calling nothing else', async () => {
    const deadline = Date.now() + 45_000;
    let overview: any;
    for (;;) {
      overview = (await get('/v1/overview')).body;
      const withIncidents = await get(
        '/v1/entities/component/default/svc-0/incidents',
      );
      if (
        overview.services?.length === SERVICES.length &&
        overview.services.every(
          (s: any) => s.windows[0].uptime !== undefined,
        ) &&
        withIncidents.body.incidents !== undefined
      ) {
        break;
      }
      if (Date.now() > deadline) throw new Error(JSON.stringify(overview));
      await new Promise(r => setTimeout(r, 500));
    }
    expect(overview.demo).toBe(true);
    const firing = overview.services.filter(
      (s: any) => Object.keys(s.firing).length > 0,
    );
    expect(firing.length).toBeGreaterThan(0);
    expect(firing.length).toBeLessThan(SERVICES.length / 2);
    const uptimes = overview.services.map((s: any) => s.windows[1].uptime);
    expect(Math.min(...uptimes)).toBeLessThan(1);
    expect(Math.min(...uptimes)).toBeGreaterThan(0.99);

    const name = firing[0].entityRef.split('/')[1];
    const alerts = await get(`/v1/entities/component/default/${name}/alerts`);
    expect(alerts.body.alerts[0]).toMatchObject({
      labels: { service: name, demo: 'true' },
      silenced: false,
    });
    expect(alerts.body.alerts[0].runbookUrl).toMatch(
      /runbooks\/incident-response/,
    );

    let incidents = 0;
    for (const service of SERVICES) {
      const res = await get(
        `/v1/entities/component/default/${service}/incidents`,
      );
      incidents += res.body.incidents.length;
    }
    expect(incidents).toBeGreaterThan(SERVICES.length / 2);

    // The overview's MTTR and MTBF are those of each service's incidents.
    const reliabilityOf = async (service: string) =>
      (await get(`/v1/entities/component/default/${service}/incidents`)).body
        .reliability;
    const withIncidents = overview.services.filter(
      (s: any) => s.reliability.incidents > 0,
    );
    expect(withIncidents.length).toBeGreaterThan(0);
    for (const s of withIncidents.slice(0, 3)) {
      // MTBF counts open incidents up to now, which moved between the calls
      const { mtbfSeconds, ...own } = await reliabilityOf(
        s.entityRef.split('/')[1],
      );
      expect(s.reliability).toMatchObject(own);
      expect(s.reliability.mtbfSeconds).toBeCloseTo(mtbfSeconds, -2);
    }

    // ?q= narrows the services; a too long one is refused naming the field.
    const narrowed = await get('/v1/overview?q=SVC-1');
    expect(narrowed.body.services.map((s: any) => s.entityRef).sort()).toEqual(
      SERVICES.filter(s => s.startsWith('svc-1'))
        .map(s => `component:default/${s}`)
        .sort(),
    );
    const tooLong = await get(`/v1/overview?q=${'x'.repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/q/);

    const uptime = await get(`/v1/entities/component/default/${name}/uptime`);
    expect(uptime.body.demo).toBe(true);
    expect(uptime.body.windows).toHaveLength(2);

    // No webhook without a token, so the demo's data came in by the feed.
    const webhook = await request(server)
      .post('/api/health/v1/alertmanager/webhook')
      .send({});
    expect(webhook.status).toBe(404);

    // Nothing was fetched (the catalog client has its own fetch).
    expect(fetched).toEqual([]);
  });
});
