/*
 * The hostile-tenant suite's portal: the backend's real plugin list
 * (features.ts) with the real auth services (static external access tokens
 * from config, user tokens issued by the auth backend), the real permission
 * backend with the portal's policy and the real catalog, over HTTP. Two teams
 * and an attacker:
 *
 * - alice (chat-team) owns chat-backend and chat-db; CI token `ci-chat`;
 * - bob (quote-team) owns quote-backend; CI token `ci-quote`;
 * - mallory (mallory-team), any signed-in user, registers what she likes;
 *   CI token `ci-mallory`;
 * - pat (platform-team).
 *
 * Fakes, named as such: the sign-in provider (stands in for GitHub sign-in)
 * and the tenants' repositories (a local HTTP server standing in for GitHub).
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { backendFeatures } from '../../features';
import { fakeSignInModule } from './fakeSignIn';
import { startTenantRepos, TenantRepos } from './tenantRepos';

export const TOKENS = {
  chat: 'hostile-ci-chat-token-0123456789',
  quote: 'hostile-ci-quote-token-0123456789',
  mallory: 'hostile-ci-mallory-token-0123456789',
  platform: 'hostile-platform-jobs-token-0123456789',
  /** The suite's own eyes: reads anything, used only to check outcomes. */
  observer: 'hostile-suite-observer-token-0123456789',
};
export const WEBHOOK_SECRET = 'hostile-webhook-secret-0123456789';

/**
 * What each CI token may report for (`platformPortal.ingest.credentials`),
 * for a suite that configures `platformPortal` itself.
 */
export const INGEST_CREDENTIALS = [
  { subject: 'ci-chat', owners: ['group:default/chat-team'] },
  { subject: 'ci-quote', owners: ['group:default/quote-team'] },
  { subject: 'ci-mallory', owners: ['group:default/mallory-team'] },
  { subject: 'platform-jobs', allEntities: true },
];

/** The estate the suite's portal trusts (its own catalog file). */
function estateYaml(healthUrl: string): string {
  const group = (
    name: string,
    members: string[],
  ) => `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: ${name} }
spec: { type: team, children: [], members: [${members.join(', ')}] }
`;
  const user = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: ${name} }
spec: { memberOf: [] }
`;
  const component = (
    name: string,
    owner: string,
    extra = '',
  ) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    github.com/project-slug: mana/${name}
    platform-portal.dev/environments: staging,production
${extra}spec: { type: service, lifecycle: production, owner: ${owner}, system: ${
    name.split('-')[0]
  } }
`;
  return [
    group('chat-team', ['alice']),
    group('quote-team', ['bob']),
    group('mallory-team', ['mallory']),
    group('platform-team', ['pat']),
    ...['alice', 'bob', 'mallory', 'pat'].map(user),
    component(
      'chat-backend',
      'chat-team',
      `    platform-portal.dev/health-url.production: ${healthUrl}\n`,
    ),
    component('quote-backend', 'quote-team'),
    ...['chat', 'quote'].map(
      team => `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${team}-db
  annotations:
    platform-portal.dev/backup-policy: postgres-daily
spec: { type: database, owner: ${team}-team }
`,
    ),
    // a template that waits, so that a task is running while others poke at it
    `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: wait-a-while, title: Wait a while }
spec:
  owner: platform-team
  type: service
  parameters: []
  steps:
    - id: wait
      name: Wait
      action: debug:wait
      input: { seconds: 60 }
`,
    // renders a GitOps checkout of both services, then pins one image: the
    // rollback and promotion templates' set-image step, without GitHub
    `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: pin-image, title: Pin an image }
spec:
  owner: platform-team
  type: service
  parameters:
    - properties:
        entityRef: { type: string }
        name: { type: string }
        tag: { type: string }
  steps:
${['quote', 'chat']
  .map(
    team => `    - id: render-${team}
      name: Render ${team}-backend
      action: platform:gitops:render
      input:
        name: ${team}-backend
        system: ${team}
        kind: service
        image: ghcr.io/mana/${team}-backend
        port: 3000
        domain: mana.how
        path: gitops
`,
  )
  .join('')}    - id: pin
      name: Pin the image
      action: platform:gitops:set-image
      input:
        entityRef: \${{ parameters.entityRef }}
        name: \${{ parameters.name }}
        environment: production
        tag: \${{ parameters.tag }}
        path: gitops
`,
  ].join('---\n');
}

export interface Portal {
  server: http.Server;
  repos: TenantRepos;
  /** Requests to the "public" health endpoint of chat-backend. */
  healthHits: string[];
  /** Requests that reached the "internal" server an attacker aims at. */
  internalHits: string[];
  internalUrl: string;
  /** A user token for alice, bob, mallory or pat, issued by the real auth backend. */
  signIn(name: string): Promise<string>;
  /** Registers a location as `token`'s user; resolves with the response. */
  register(token: string, target: string): Promise<request.Response>;
  /** Polls until the catalog has `ref` (kind/namespace/name), or throws. */
  waitForEntity(ref: string, timeoutMs?: number): Promise<any>;
  /**
   * Runs a template as `token`'s caller and waits for the task to end;
   * resolves with its status and the messages of its log.
   */
  runTask(
    token: string,
    templateRef: string,
    values: Record<string, unknown>,
  ): Promise<{ status: string; log: string; created: number }>;
  /** Polls until platform-deploy knows the component (its catalog sync ran). */
  waitForDeployable(entityRef: string): Promise<void>;
  /**
   * Runs a scheduled task now and waits for it (the test backend's scheduler
   * runs each task once at start-up, then only when triggered).
   */
  triggerTask(id: string): Promise<void>;
  stop(): Promise<void>;
}

async function listen(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** A request with a bearer token. */
export function as(
  server: http.Server,
  token: string,
  method: 'get' | 'post' | 'delete',
  url: string,
) {
  return request(server)[method](url).set('authorization', `Bearer ${token}`);
}

/** Polls `fn` until it returns something other than undefined. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

/** The harness's own servers, for config that names them (an allowlist). */
export interface PortalAddresses {
  /** chat-backend's health URL (the estate's), e.g. http://127.0.0.1:41234/health */
  healthUrl: string;
  internalUrl: string;
  /** The tenants' repositories (FAKE code host), e.g. http://127.0.0.1:41235 */
  reposUrl: string;
}

export async function startPortal(
  extraConfig: JsonObject | ((addresses: PortalAddresses) => JsonObject) = {},
): Promise<Portal> {
  const healthHits: string[] = [];
  const internalHits: string[] = [];
  const health = await listen((req, res) => {
    healthHits.push(req.url ?? '');
    res.end('ok');
  });
  const internal = await listen((req, res) => {
    internalHits.push(req.url ?? '');
    res.end('internal secret');
  });
  const repos = await startTenantRepos();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
  const estate = path.join(dir, 'estate.yaml');
  fs.writeFileSync(estate, estateYaml(`${health.url}/health`));

  const staticToken = (token: string, subject: string) => ({
    type: 'static',
    options: { token, subject },
    // as the README's "A team's ingest credential" configures one: the
    // ingest endpoints and nothing else
    accessRestrictions: [
      { plugin: 'platform-deploy', permission: 'platform-deploy.ingest' },
      { plugin: 'backup-status', permission: 'backup-status.ingest' },
    ],
  });
  const config: JsonObject = {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      baseUrl: 'http://localhost:7007',
      auth: {
        externalAccess: [
          staticToken(TOKENS.chat, 'ci-chat'),
          staticToken(TOKENS.quote, 'ci-quote'),
          staticToken(TOKENS.mallory, 'ci-mallory'),
          staticToken(TOKENS.platform, 'platform-jobs'),
          {
            type: 'static',
            options: { token: TOKENS.observer, subject: 'suite-observer' },
          },
        ],
      },
      reading: { allow: [{ host: repos.host }] },
    },
    auth: {
      environment: 'development',
      providers: { 'test-sign-in': { development: {} } },
    },
    permission: { enabled: true },
    platformPolicy: {
      platformTeams: ['group:default/platform-team'],
      readOnlyUsers: ['user:development/guest'],
    },
    catalog: {
      rules: [{ allow: ['Component', 'API', 'Resource', 'Location'] }],
      locations: [
        {
          type: 'file',
          target: estate,
          rules: [
            {
              allow: [
                'Component',
                'Group',
                'User',
                'Resource',
                'Location',
                'Template',
              ],
            },
          ],
        },
      ],
    },
    platformPortal: {
      ingest: { credentials: INGEST_CREDENTIALS },
    },
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
      },
    },
    techdocs: { builder: 'external', publisher: { type: 'local' } },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [{ type: 'config', clusters: [] }],
    },
    ...(typeof extraConfig === 'function'
      ? extraConfig({
          healthUrl: `${health.url}/health`,
          internalUrl: internal.url,
          reposUrl: repos.url,
        })
      : extraConfig),
  };

  // backend-test-utils' MockSchedulerService (typed as SchedulerService):
  // its factory() installs this very instance, with the default mock's run of
  // every task at start-up, so that the suite can trigger tasks later.
  const scheduler = mockServices.scheduler() as ReturnType<
    typeof mockServices.scheduler
  > & { factory(): ReturnType<typeof mockServices.scheduler.factory> };
  const backend = await startTestBackend({
    features: [
      scheduler.factory(),
      ...backendFeatures,
      fakeSignInModule,
      // the real auth: static tokens from config, user tokens from the auth backend
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      mockServices.rootConfig.factory({ data: config }),
      // HOSTILE_DEBUG=1 prints the backend's warnings and errors
      ...(process.env.HOSTILE_DEBUG
        ? [mockServices.rootLogger.factory({ level: 'warn' })]
        : []),
    ],
  });
  const server = backend.server;

  const portal: Portal = {
    server,
    repos,
    healthHits,
    internalHits,
    internalUrl: internal.url,
    async signIn(name) {
      const res = await request(server)
        .get('/api/auth/test-sign-in/refresh')
        .set('x-test-user', name);
      if (res.status !== 200) {
        throw new Error(`sign-in of ${name}: ${res.status} ${res.text}`);
      }
      return res.body.backstageIdentity.token;
    },
    register(token, target) {
      return request(server)
        .post('/api/catalog/locations')
        .set('authorization', `Bearer ${token}`)
        .send({ type: 'url', target });
    },
    async waitForEntity(ref, timeoutMs = 60_000) {
      const token = TOKENS.observer;
      return waitFor(
        `the catalog to have ${ref}`,
        async () => {
          const res = await request(server)
            .get(`/api/catalog/entities/by-name/${ref}`)
            .set('authorization', `Bearer ${token}`);
          return res.status === 200 ? res.body : undefined;
        },
        timeoutMs,
      );
    },
    async runTask(token, templateRef, values) {
      const created = await request(server)
        .post('/api/scaffolder/v2/tasks')
        .set('authorization', `Bearer ${token}`)
        .send({ templateRef, values });
      if (created.status !== 201) {
        return {
          status: 'refused',
          log: created.text,
          created: created.status,
        };
      }
      const id = created.body.id;
      const task = await waitFor(
        `task ${id} to end`,
        async () => {
          const res = await request(server)
            .get(`/api/scaffolder/v2/tasks/${id}`)
            .set('authorization', `Bearer ${TOKENS.observer}`);
          return ['completed', 'failed', 'cancelled'].includes(res.body.status)
            ? res.body
            : undefined;
        },
        120_000,
      );
      const events = await request(server)
        .get(`/api/scaffolder/v2/tasks/${id}/events`)
        .set('authorization', `Bearer ${TOKENS.observer}`);
      const log = (events.body as any[])
        .map(e => e.body?.message ?? '')
        .join('\n');
      return { status: task.status, log, created: 201 };
    },
    async waitForDeployable(entityRef) {
      const [kind, rest] = entityRef.split(':');
      await waitFor(`platform-deploy to know ${entityRef}`, async () => {
        const res = await request(server)
          .get(`/api/platform-deploy/v1/entities/${kind}/${rest}`)
          .set('authorization', `Bearer ${TOKENS.observer}`);
        return res.status === 200 ? true : undefined;
      });
    },
    triggerTask: id => scheduler.triggerTask(id),
    async stop() {
      await backend.stop();
      await repos.close();
      health.server.close();
      internal.server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await portal.waitForEntity('user/default/pat');
  await portal.waitForEntity('component/default/quote-backend');
  return portal;
}
