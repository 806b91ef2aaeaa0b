/*
 * Trust issue, item 5: health probes aimed inside. Any signed-in user may
 * register a component, and the health prober fetches the URL its
 * `platform-portal.dev/health-url.<environment>` annotation names. Mallory
 * aims it at an internal service, at the cloud metadata address and at the
 * portal's backend itself. None of them may be fetched: only components from
 * trusted locations are probed, and never at a loopback, private, link-local
 * or metadata address unless its host is allowlisted (chat-backend's health
 * server, on 127.0.0.1, is).
 */
import { AddressInfo } from 'node:net';
import {
  as,
  Portal,
  startPortal,
  TOKENS,
  WEBHOOK_SECRET,
  waitFor,
} from './__testUtils__/harness';

jest.setTimeout(240_000);

/** The prober's scheduled task (platform-deploy-backend's HealthProber). */
const HEALTH_PROBE_TASK = 'platform-deploy-health-probe';

const MALLORY_TARGETS = {
  'mallory-internal': (portal: Portal) => `${portal.internalUrl}/secrets`,
  'mallory-metadata': () => 'http://169.254.169.254/latest/meta-data/',
  'mallory-self': (portal: Portal) => {
    const { port } = portal.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/catalog/entities`;
  },
};
type Target = keyof typeof MALLORY_TARGETS;

const component = (
  name: string,
  healthUrl: string,
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    platform-portal.dev/environments: production
    platform-portal.dev/health-url.production: ${healthUrl}
spec: { type: service, lifecycle: production, owner: mallory-team }
`;

describe('hostile tenant: health probes aimed inside', () => {
  let portal: Portal;

  /** The production state of a component, as the observer reads it. */
  const production = async (name: string) => {
    const res = await as(
      portal.server,
      TOKENS.observer,
      'get',
      `/api/platform-deploy/v1/entities/component/default/${name}`,
    );
    expect(res.status).toBe(200);
    return res.body.states.production as
      | { health: string; healthCheckedAt?: string; healthStatusCode?: number }
      | undefined;
  };

  /** A deploy reported by a team's own CI, so that a probe has a state to record into. */
  const reportDeploy = async (token: string, name: string) => {
    const res = await as(
      portal.server,
      token,
      'post',
      '/api/platform-deploy/v1/events',
    ).send({
      entityRef: `component:default/${name}`,
      environment: 'production',
      version: 'main-abc1234',
      status: 'succeeded',
      idempotencyKey: `probes-${name}-0001`,
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    portal = await startPortal(({ healthUrl }) => ({
      platformDeploy: {
        environments: ['staging', 'production'],
        github: { webhookSecret: WEBHOOK_SECRET },
        catalogSync: {
          schedule: { frequency: { seconds: 2 }, timeout: { seconds: 30 } },
        },
        healthProbe: {
          enabled: true,
          schedule: { frequency: { seconds: 2 }, timeout: { seconds: 10 } },
          timeoutMs: 1000,
          // chat-backend's health server listens on 127.0.0.1 in this suite
          allowedHosts: [new URL(healthUrl).host],
        },
      },
    }));
    const mallory = await portal.signIn('mallory');
    const url = portal.repos.set(
      '/mallory/probes/catalog-info.yaml',
      (Object.keys(MALLORY_TARGETS) as Target[])
        .map(name => component(name, MALLORY_TARGETS[name](portal)))
        .join('---\n'),
    );
    const registered = await portal.register(mallory, url);
    if (registered.status !== 201) {
      throw new Error(
        `registering Mallory's location: ${registered.status} ${registered.text}`,
      );
    }
    for (const name of Object.keys(MALLORY_TARGETS)) {
      await portal.waitForDeployable(`component:default/${name}`);
      await reportDeploy(TOKENS.mallory, name);
    }
    await reportDeploy(TOKENS.chat, 'chat-backend');
    // The prober has demonstrably run since the reports: it reached
    // chat-backend's (allowlisted) health server twice more, and chat-backend
    // is up. (The test backend's scheduler runs a task when triggered.)
    const hits = portal.healthHits.length;
    await waitFor('two more probe rounds', async () => {
      await portal.triggerTask(HEALTH_PROBE_TASK);
      return portal.healthHits.length >= hits + 2 ? true : undefined;
    });
    await waitFor('chat-backend to be up', async () =>
      (await production('chat-backend'))?.health === 'up' ? true : undefined,
    );
  });
  afterAll(() => portal?.stop());

  it('never fetches the internal service Mallory’s component names', async () => {
    expect(portal.internalHits).toEqual([]);
    expect(
      (await production('mallory-internal'))?.healthCheckedAt,
    ).toBeUndefined();
  });

  it('never probes the metadata address', async () => {
    const state = await production('mallory-metadata');
    expect(state?.healthCheckedAt).toBeUndefined();
    expect(state?.health).toBe('unknown');
  });

  it('never probes the portal’s own backend', async () => {
    const state = await production('mallory-self');
    expect(state?.healthCheckedAt).toBeUndefined();
    expect(state?.healthStatusCode).toBeUndefined();
  });
});
