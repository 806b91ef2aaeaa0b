/*
 * A bad-input corpus against every write endpoint of our plugins: malformed
 * JSON, wrong types, huge strings, unicode, injection-like strings, unknown
 * entities, future and ancient timestamps. Every request must get a 4xx
 * (the webhook: 4xx, or 202 for what it ignores), and nothing is stored.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import request from 'supertest';
import platformDeployPlugin from '@platform-portal/backstage-plugin-platform-deploy-backend';
import githubModule from '@platform-portal/backstage-plugin-platform-deploy-backend-module-github';
import backupStatusPlugin from '@platform-portal/backstage-plugin-backup-status-backend';

jest.setTimeout(120_000);

const WEBHOOK_SECRET = 'bad-input-corpus-webhook-secret';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'chat-backend',
      annotations: {
        'platform-portal.dev/environments': 'staging,production',
        'github.com/project-slug': 'mana/chat-backend',
      },
    },
    spec: {
      type: 'service',
      owner: 'chat-team',
      system: 'chat',
      lifecycle: 'production',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'chat-db',
      annotations: { 'platform-portal.dev/backup-policy': 'postgres-daily' },
    },
    spec: { type: 'database', owner: 'chat-team' },
  },
];

const hostile = {
  huge: 'x'.repeat(100_000),
  nul: 'chat\u0000backend',
  emoji: 'chat-😀-backend',
  rtl: 'chat\u202ebackend',
  zeroWidth: 'chat\u200bbackend',
  sql: "x' OR '1'='1' --",
  drop: 'x"; DROP TABLE deploy_events; --',
  template: '${{ secrets.PLATFORM_INGEST_TOKEN }}',
  html: '<script>alert(1)</script>',
  path: '../../../etc/passwd',
  jinja: '{{7*7}}',
};

const badTimestamps = [
  '1970-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '2999-01-01T00:00:00Z',
  '2026-13-45T00:00:00Z',
  'yesterday',
  '',
  1700000000,
];

const wrongTypes = [42, true, null, [], {}, ['a'], { $gt: '' }];

/** One valid body with one field replaced by each bad value. */
function variants(
  valid: Record<string, unknown>,
  fields: Record<string, unknown[]>,
) {
  const out: Array<{ label: string; body: unknown }> = [];
  for (const [field, values] of Object.entries(fields)) {
    for (const value of values) {
      out.push({
        label: `${field}=${JSON.stringify(value)?.slice(0, 40)}`,
        body: { ...valid, [field]: value },
      });
    }
  }
  return out;
}

const malformedJson = [
  '{',
  '{"entityRef":}',
  '{"entityRef": "component:default/chat-backend",}',
  '\ufeff{"a":1}',
  'null',
  '[]',
  '"a string"',
  '123',
  'NaN',
  '{"a":1}{"b":2}',
];

/** The mock service credential's subject (mockCredentials.service()). */
const TEST_SERVICE = 'external:test-service';

describe('bad-input corpus', () => {
  let server: any;
  const service = mockCredentials.service.header();

  beforeAll(async () => {
    // The real catalog backend, reading the entities from a file location.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
    const catalogFile = path.join(dir, 'catalog.yaml');
    fs.writeFileSync(
      catalogFile,
      entities.map(e => yaml.stringify(e)).join('---\n'),
    );
    ({ server } = await startTestBackend({
      features: [
        platformDeployPlugin,
        githubModule,
        backupStatusPlugin,
        catalogBackend,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Resource'] }],
              locations: [{ type: 'file', target: catalogFile }],
            },
            platformDeploy: {
              environments: ['staging', 'production'],
              healthProbe: { enabled: false },
              ingest: { eventsPerMinute: 100_000 },
              github: { webhookSecret: WEBHOOK_SECRET },
            },
            // The corpus is sent with the mock service credential: it may
            // report for every entity, as the platform team's jobs do.
            platformPortal: {
              ingest: {
                credentials: [{ subject: TEST_SERVICE, allEntities: true }],
              },
            },
          },
        }),
      ],
    }));
    // The corpus is only meaningful once the catalog knows both entities.
    const deadline = Date.now() + 60_000;
    const backend = server;
    for (;;) {
      const found = await Promise.all(
        ['component/default/chat-backend', 'resource/default/chat-db'].map(
          ref =>
            request(backend)
              .get(`/api/catalog/entities/by-name/${ref}`)
              .set('authorization', service),
        ),
      );
      if (found.every(res => res.status === 200)) break;
      if (Date.now() > deadline) {
        throw new Error('the catalog never read the test entities');
      }
      await new Promise(r => setTimeout(r, 250));
    }
  });

  /** What is stored for the two entities; the reads themselves must succeed. */
  async function stored() {
    const deploys = await request(server)
      .get('/api/platform-deploy/v1/entities/component/default/chat-backend')
      .set('authorization', service);
    const backups = await request(server)
      .get('/api/backup-status/v1/entities/resource/default/chat-db')
      .set('authorization', service);
    expect(deploys.status).toBe(200);
    expect(backups.status).toBe(200);
    expect(typeof deploys.body.totalHistory).toBe('number');
    expect(typeof backups.body.totalRuns).toBe('number');
    return {
      deploys: deploys.body.totalHistory,
      backups: backups.body.totalRuns,
    };
  }

  const deployEvent = {
    entityRef: 'component:default/chat-backend',
    environment: 'production',
    version: 'main-abc1234',
    status: 'succeeded',
    idempotencyKey: 'corpus-deploy-0001',
  };
  const deployCorpus = [
    ...variants(deployEvent, {
      entityRef: [
        'component:default/does-not-exist',
        'user:default/guest',
        ...Object.values(hostile),
        ...wrongTypes,
      ],
      environment: [
        'qa',
        'PRODUCTION',
        ...Object.values(hostile),
        ...wrongTypes,
      ],
      version: [...Object.values(hostile), ...wrongTypes],
      status: ['SUCCEEDED', 'done', ...wrongTypes],
      idempotencyKey: ['short', hostile.huge, ...wrongTypes],
      color: ['purple', ...wrongTypes],
      commitSha: ['not-a-sha', hostile.sql, ...wrongTypes],
      startedAt: [...badTimestamps, ...wrongTypes],
      finishedAt: [...badTimestamps, ...wrongTypes],
      commitTimestamp: badTimestamps,
      runUrl: [
        'not a url',
        `${['javascript', 'alert(1)'].join(':')}`.repeat(200),
        ...wrongTypes,
      ],
      actor: [hostile.huge, ...wrongTypes],
      unexpected: ['field'],
    }),
    {
      label: 'batch with one bad event',
      body: {
        events: [
          deployEvent,
          {
            ...deployEvent,
            idempotencyKey: 'corpus-deploy-0002',
            environment: 'qa',
          },
        ],
      },
    },
    { label: 'empty batch', body: { events: [] } },
    {
      label: 'batch of 1001',
      body: {
        events: Array.from({ length: 1001 }, (_, i) => ({
          ...deployEvent,
          idempotencyKey: `corpus-big-${i}`,
        })),
      },
    },
  ];

  const backupRun = {
    entityRef: 'resource:default/chat-db',
    type: 'backup',
    status: 'succeeded',
    startedAt: new Date(Date.now() - 3_600_000).toISOString(),
    finishedAt: new Date(Date.now() - 3_500_000).toISOString(),
    idempotencyKey: 'corpus-backup-0001',
  };
  const backupCorpus = variants(backupRun, {
    entityRef: [
      'resource:default/does-not-exist',
      'component:default/chat-backend', // exists, but has no backup policy
      ...Object.values(hostile),
      ...wrongTypes,
    ],
    type: ['snapshot', ...wrongTypes],
    status: ['ok', ...wrongTypes],
    startedAt: [...badTimestamps, ...wrongTypes],
    finishedAt: [...badTimestamps, ...wrongTypes],
    idempotencyKey: [hostile.huge, ...wrongTypes],
    sizeBytes: [
      -1,
      1.5,
      'big',
      ...wrongTypes.filter(v => v !== null && v !== 42),
    ],
    message: [hostile.huge, ...wrongTypes],
    unexpected: ['field'],
  });

  it.each([
    ['/api/platform-deploy/v1/events', deployCorpus],
    ['/api/backup-status/v1/runs', backupCorpus],
  ])(
    'POST %s: every bad body gets a 4xx and nothing is stored',
    async (endpoint, corpus) => {
      const before = await stored();
      const accepted: string[] = [];
      for (const { label, body } of corpus) {
        const res = await request(server)
          .post(endpoint)
          .set('authorization', service)
          .send(body as object);
        if (res.status < 400 || res.status >= 500)
          accepted.push(`${label}: ${res.status}`);
        expect(JSON.stringify(res.body)).not.toMatch(
          /\bat \w+ \(|select |insert into/i,
        );
      }
      for (const raw of malformedJson) {
        const res = await request(server)
          .post(endpoint)
          .set('authorization', service)
          .set('content-type', 'application/json')
          .send(raw);
        if (res.status < 400 || res.status >= 500)
          accepted.push(`raw ${raw}: ${res.status}`);
      }
      const huge = await request(server)
        .post(endpoint)
        .set('authorization', service)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ ...deployEvent, actor: 'x'.repeat(3_000_000) }));
      expect(huge.status).toBe(413);

      expect(accepted).toEqual([]);
      expect(await stored()).toEqual(before);
      // eslint-disable-next-line no-console
      console.log(
        `${endpoint}: ${
          corpus.length + malformedJson.length + 1
        } bad requests, all 4xx`,
      );
    },
  );

  it('GitHub webhook: unsigned, wrongly signed or malformed payloads store nothing', async () => {
    const before = await stored();
    const sign = (body: string) =>
      `sha256=${createHmac('sha256', WEBHOOK_SECRET)
        .update(body)
        .digest('hex')}`;
    const statuses: number[] = [];
    const send = async (
      body: string,
      signature?: string,
      event = 'deployment_status',
    ) => {
      const req = request(server)
        .post('/api/platform-deploy/v1/webhooks/github')
        .set('content-type', 'application/json')
        .set('x-github-event', event)
        .set('x-github-delivery', `corpus-${statuses.length}`);
      if (signature) req.set('x-hub-signature-256', signature);
      const res = await req.send(body);
      statuses.push(res.status);
      return res.status;
    };
    const payload = JSON.stringify({
      deployment: {
        id: 1,
        environment: 'production',
        sha: 'abc1234',
        ref: 'main',
      },
      deployment_status: { state: 'success', environment: 'production' },
      repository: { full_name: 'mana/chat-backend' },
    });
    expect(await send(payload)).toBe(401);
    expect(await send(payload, 'sha256=00')).toBe(401);
    expect(await send(payload, sign(`${payload} `))).toBe(401);
    for (const raw of malformedJson) {
      const status = await send(raw, sign(raw));
      expect(status === 202 || (status >= 400 && status < 500)).toBe(true);
    }
    for (const value of [...wrongTypes, ...Object.values(hostile)]) {
      const body = JSON.stringify({
        deployment: value,
        deployment_status: { state: value, environment: value },
        repository: { full_name: value },
      });
      const status = await send(body, sign(body));
      expect(status === 202 || (status >= 400 && status < 500)).toBe(true);
    }
    expect(await stored()).toEqual(before);
  });

  it('stores injection-like text in free-text fields verbatim, as data', async () => {
    const res = await request(server)
      .post('/api/platform-deploy/v1/events')
      .set('authorization', service)
      .send({
        ...deployEvent,
        idempotencyKey: hostile.drop,
        actor: hostile.sql,
      });
    expect(res.status).toBe(200);
    const entity = await request(server)
      .get('/api/platform-deploy/v1/entities/component/default/chat-backend')
      .set('authorization', service);
    expect(entity.body.history[0].actor).toBe(hostile.sql);
  });
});
