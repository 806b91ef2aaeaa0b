/*
 * The plugin over real HTTP with the real catalog backend (entities from
 * src/__fixtures__/catalog.yaml through a file location) and the real
 * auditor writing to a recording logger.
 */
import { JsonObject } from '@backstage/types';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { catalogConfig, waitForCatalog } from './__testUtils__/catalog';
import {
  LoggedLine,
  recordingLoggerFactory,
} from './__testUtils__/recordingLogger';
import { backupStatusPlugin } from './plugin';

jest.setTimeout(60_000);

const API = '/api/backup-status';
const HOUR = 60 * 60 * 1000;

function hoursAgo(h: number) {
  return new Date(Date.now() - h * HOUR).toISOString();
}

function report(overrides: Record<string, unknown> = {}) {
  return {
    entityRef: 'resource:default/chat-db',
    type: 'backup',
    status: 'succeeded',
    startedAt: hoursAgo(3),
    finishedAt: hoursAgo(2.9),
    idempotencyKey: `key-${Math.random().toString(36).slice(2)}`,
    sizeBytes: 1234,
    tool: 'pg_dump',
    ...overrides,
  };
}

/** What each test credential may report for (the backend kit's IngestScopes). */
const ingestCredentials = {
  platformPortal: {
    ingest: {
      credentials: [
        // mockCredentials.service(): the platform team's own jobs
        { subject: 'external:test-service', allEntities: true },
        { subject: 'ci-chat', owners: ['group:default/team-chat'] },
      ],
    },
  },
};

/** team-chat's CI: reports for the entities team-chat owns. */
const chatCi = () =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('ci-chat'),
    targetPluginId: 'backup-status',
  });

async function startBackend(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    config?: JsonObject;
    logLines?: LoggedLine[];
    waitForEntities?: boolean;
  } = {},
) {
  const { server } = await startTestBackend({
    features: [
      backupStatusPlugin,
      catalogBackend,
      mockServices.rootConfig.factory({
        data: { ...catalogConfig(), ...ingestCredentials, ...options.config },
      }),
      ...(options.permission
        ? [mockServices.permissions.factory({ result: options.permission })]
        : []),
      ...(options.logLines ? [recordingLoggerFactory(options.logLines)] : []),
    ],
  });
  if (options.waitForEntities !== false) await waitForCatalog(server);
  return server;
}

type Server = Awaited<ReturnType<typeof startBackend>>;

const serviceAuth = () => mockCredentials.service.header();

async function totalRuns(server: Server, path = 'resource/default/chat-db') {
  const res = await request(server).get(`${API}/v1/entities/${path}`);
  expect(res.status).toBe(200);
  return res.body.totalRuns as number;
}

/** Runs stored for every entity that accepts runs. */
async function allRuns(server: Server) {
  return (
    (await totalRuns(server, 'resource/default/chat-db')) +
    (await totalRuns(server, 'component/default/redis'))
  );
}

describe('backup-status backend', () => {
  describe('on a backend of its own per test', () => {
    it('limits reports per token with 429, storing nothing over the limit', async () => {
      const server = await startBackend({
        config: { backupStatus: { ingest: { runsPerMinute: 1 } } },
      });
      const first = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(report({ idempotencyKey: 'limit-1' }));
      expect(first.status).toBe(200);
      const second = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(report({ idempotencyKey: 'limit-2' }));
      expect(second.status).toBe(429);
      expect(second.headers['retry-after']).toBeDefined();
      expect(await totalRuns(server)).toBe(1);
    });

    it('counts the runs of a batch against the limit, not the request', async () => {
      const server = await startBackend({
        config: { backupStatus: { ingest: { runsPerMinute: 3 } } },
      });
      const batch = (n: number) => ({
        runs: Array.from({ length: n }, () => report()),
      });
      const post = (body: object) =>
        request(server)
          .post(`${API}/v1/runs`)
          .set('Authorization', serviceAuth())
          .send(body);
      expect((await post(batch(2))).body).toEqual({ stored: 2, duplicates: 0 });
      const limited = await post(batch(2));
      expect(limited.status).toBe(429);
      expect(limited.body.error.message).toBe(
        'Too many reports for this credential: at most 3 reports per 60 s; retry after the Retry-After header',
      );
      expect(await totalRuns(server)).toBe(2);
    });

    it('ingests a report and shows it in the overview and entity details', async () => {
      const server = await startBackend();

      const post = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(report({ idempotencyKey: 'chat-db-1' }));
      expect(post.status).toBe(200);
      expect(post.body).toEqual({ stored: 1, duplicates: 0 });

      const overview = await request(server).get(`${API}/v1/overview`);
      expect(overview.status).toBe(200);
      expect(overview.body.totalItems).toBe(3);
      const chat = overview.body.items.find(
        (i: any) => i.entityRef === 'resource:default/chat-db',
      );
      expect(chat).toMatchObject({
        policyName: 'postgres-daily',
        owner: 'team-chat',
        backup: {
          status: 'warning',
          ageHours: 2.9,
          reasons: [{ code: 'restore_test_missing' }],
        },
      });
      // tape-db names an unknown policy: listed, status unknown.
      const tape = overview.body.items.find(
        (i: any) => i.entityRef === 'resource:default/tape-db',
      );
      expect(tape.backup.status).toBe('unknown');
      expect(overview.body.summary).toMatchObject({
        total: 3,
        withinRpo: 1,
        restoreTestedLast7Days: 0,
      });

      const details = await request(server).get(
        `${API}/v1/entities/resource/default/chat-db`,
      );
      expect(details.status).toBe(200);
      expect(details.body).toMatchObject({
        entityRef: 'resource:default/chat-db',
        policy: { name: 'postgres-daily', rpoHours: 24 },
        totalRuns: 1,
        runs: [{ idempotencyKey: 'chat-db-1', sizeBytes: 1234 }],
        restoreTests: [],
      });
      expect(details.body.backup.series).toHaveLength(30);
    });

    it('builds the status snapshot while starting, before the backend is ready', async () => {
      const logLines: LoggedLine[] = [];
      const server = await startBackend({ logLines, waitForEntities: false });
      const built = () =>
        logLines.filter(
          l =>
            l.plugin === 'backup-status' &&
            l.message === 'Built the backup status snapshot',
        );
      // startTestBackend resolves once the startup hooks have run
      expect(built()).toEqual([
        expect.objectContaining({
          fields: expect.objectContaining({ trigger: 'start' }),
        }),
      ]);
      const res = await request(server).get(`${API}/v1/overview`);
      expect(res.status).toBe(200);
    });

    it('flags a 1 MB dump after a month of 2.7 GB ones, in the overview and the details', async () => {
      const server = await startBackend();
      const nightly = (daysAgo: number, sizeBytes: number) =>
        report({
          startedAt: hoursAgo(daysAgo * 24 + 3),
          finishedAt: hoursAgo(daysAgo * 24 + 2.9),
          idempotencyKey: `nightly-${daysAgo}`,
          sizeBytes,
        });
      const runs = [
        nightly(0, 1_000_000),
        ...Array.from({ length: 29 }, (_, i) => nightly(i + 1, 2.7e9 + i)),
        report({
          type: 'restore-test',
          idempotencyKey: 'restore-1',
          startedAt: hoursAgo(30),
          finishedAt: hoursAgo(29.5),
        }),
      ];
      const post = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send({ runs });
      expect(post.body).toEqual({ stored: 31, duplicates: 0 });

      const message =
        'Last backup 1.0 MB is 0.04 % of the median 2.7 GB of the previous 7 (a warning below 50 %).';
      const overview = await request(server).get(`${API}/v1/overview`);
      expect(overview.body.summary.sizeAnomalies).toBe(1);
      const chat = overview.body.items.find(
        (i: any) => i.entityRef === 'resource:default/chat-db',
      );
      expect(chat.backup).toMatchObject({
        status: 'warning',
        reasons: [{ code: 'size_anomaly', severity: 'warning', message }],
      });
      const details = await request(server).get(
        `${API}/v1/entities/resource/default/chat-db`,
      );
      expect(details.body.backup.reasons).toEqual([
        { code: 'size_anomaly', severity: 'warning', message },
      ]);
      expect(details.body.policy.anomaly).toEqual({ minRatio: 0.5, window: 7 });
    });

    it('stores a batch, and filters and paginates the overview', async () => {
      const server = await startBackend();
      const res = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send({
          runs: [
            report(),
            report({
              type: 'restore-test',
              startedAt: hoursAgo(5),
              finishedAt: hoursAgo(4.5),
            }),
            report({ entityRef: 'component:default/redis', status: 'failed' }),
          ],
        });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ stored: 3, duplicates: 0 });

      const ok = await request(server).get(`${API}/v1/overview?status=ok`);
      expect(ok.body.items.map((i: any) => i.entityRef)).toEqual([
        'resource:default/chat-db',
      ]);
      const critical = await request(server).get(
        `${API}/v1/overview?status=critical`,
      );
      expect(critical.body.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/redis',
      ]);
      const byPolicy = await request(server).get(
        `${API}/v1/overview?policy=redis-daily`,
      );
      expect(byPolicy.body.totalItems).toBe(1);
      const byOwner = await request(server).get(
        `${API}/v1/overview?owner=group:default/team-chat`,
      );
      expect(byOwner.body.totalItems).toBe(2);
      const byText = await request(server).get(`${API}/v1/overview?q=TAPE`);
      expect(byText.body.items.map((i: any) => i.entityRef)).toEqual([
        'resource:default/tape-db',
      ]);
      const page = await request(server).get(
        `${API}/v1/overview?limit=1&offset=1`,
      );
      expect(page.body.totalItems).toBe(3);
      expect(page.body.items).toHaveLength(1);
      // Worst first: redis (critical), then tape-db (unknown), then chat-db (ok).
      expect(page.body.items[0].entityRef).toBe('resource:default/tape-db');
    });

    it('answers 403 when the permission is denied', async () => {
      // the catalog is denied too: nothing to wait for
      const server = await startBackend({
        permission: AuthorizeResult.DENY,
        waitForEntities: false,
      });
      const overview = await request(server).get(`${API}/v1/overview`);
      expect(overview.status).toBe(403);
      expect(overview.body.error.message).toContain('backup-status.read');
      const details = await request(server).get(
        `${API}/v1/entities/resource/default/chat-db`,
      );
      expect(details.status).toBe(403);
      const post = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(report());
      expect(post.status).toBe(403);
      expect(post.body.error.message).toContain('backup-status.ingest');
    });
  });

  describe('on one backend shared by its tests (each compares before and after)', () => {
    const logLines: LoggedLine[] = [];
    let server: Server;

    beforeAll(async () => {
      server = await startBackend({ logLines });
    });

    /** The audit lines of the ingest route logged since `from`. */
    const auditLines = (from: number) =>
      logLines
        .slice(from)
        .filter(
          l =>
            l.fields.isAuditEvent === true &&
            l.message === 'backup-status.backup-runs-report',
        );

    it('stores the same idempotency key once and answers 200 both times', async () => {
      const before = await totalRuns(server);
      const body = report();
      const first = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(body);
      const second = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(body);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ stored: 1, duplicates: 0 });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ stored: 0, duplicates: 1 });
      expect(await totalRuns(server)).toBe(before + 1);
    });

    it("refuses a run for an entity outside the credential's scope, and the whole batch with it", async () => {
      const before = await allRuns(server);
      const single = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', chatCi())
        .send(report({ entityRef: 'component:default/redis' }));
      expect(single.status).toBe(403);
      expect(single.body.error).toEqual({
        name: 'NotAllowedError',
        message:
          'entityRef: ci-chat may not report for component:default/redis (owned by group:default/team-platform); it reports for entities owned by group:default/team-chat',
      });

      const batch = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', chatCi())
        .send({
          runs: [report(), report({ entityRef: 'component:default/redis' })],
        });
      expect(batch.status).toBe(403);
      expect(batch.body.error.message).toMatch(
        /^runs\[1\]\.entityRef: ci-chat may not report for component:default\/redis/,
      );
      // nothing of the batch is stored, its own run included
      expect(await allRuns(server)).toBe(before);

      // its own entity: stored
      const own = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', chatCi())
        .send(report());
      expect(own.status).toBe(200);
      expect(own.body).toEqual({ stored: 1, duplicates: 0 });
      expect(await allRuns(server)).toBe(before + 1);
    });

    it('answers 409 naming the key when it comes back with other content, and stores nothing', async () => {
      const before = await allRuns(server);
      const body = report({ idempotencyKey: 'conflict-run-1' });
      const first = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(body);
      expect(first.body).toEqual({ stored: 1, duplicates: 0 });
      const other = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send({
          runs: [
            report({ entityRef: 'component:default/redis' }),
            { ...body, status: 'failed', sizeBytes: 1 },
          ],
        });
      expect(other.status).toBe(409);
      expect(other.body.error).toEqual({
        name: 'ConflictError',
        message:
          "runs[1].idempotencyKey: 'conflict-run-1' was reported before with other content (status, sizeBytes differ); a retry must repeat the run as it was, a new run needs a new key",
      });
      expect(await allRuns(server)).toBe(before + 1);
    });

    it("scopes keys per source: one credential's key does not block another's run", async () => {
      const before = await allRuns(server);
      const key = 'shared-key-0000001';
      const platform = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(report({ idempotencyKey: key }));
      expect(platform.body).toEqual({ stored: 1, duplicates: 0 });
      const chat = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', chatCi())
        .send(report({ idempotencyKey: key, status: 'failed' }));
      expect(chat.status).toBe(200);
      expect(chat.body).toEqual({ stored: 1, duplicates: 0 });
      expect(await allRuns(server)).toBe(before + 2);
    });

    it('refuses a service credential without an ingest scope', async () => {
      const before = await allRuns(server);
      const res = await request(server)
        .post(`${API}/v1/runs`)
        .set(
          'Authorization',
          mockCredentials.service.header({
            onBehalfOf: mockCredentials.service('ci-unlisted'),
            targetPluginId: 'backup-status',
          }),
        )
        .send(report());
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'entityRef: ci-unlisted has no ingest scope: list it in platformPortal.ingest.credentials',
      );
      expect(await allRuns(server)).toBe(before);
    });

    it('answers 401 without credentials', async () => {
      const none = mockCredentials.none.header();
      for (const req of [
        request(server).get(`${API}/v1/overview`),
        request(server).get(`${API}/v1/entities/resource/default/chat-db`),
        request(server).post(`${API}/v1/runs`).send(report()),
      ]) {
        const res = await req.set('Authorization', none);
        expect(res.status).toBe(401);
      }
    });

    it('rejects user tokens on ingest', async () => {
      const before = await allRuns(server);
      const res = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', mockCredentials.user.header())
        .send(report());
      expect(res.status).toBe(403);
      expect(await allRuns(server)).toBe(before);
    });

    it('answers 404 for an entity not in the catalog', async () => {
      const res = await request(server).get(
        `${API}/v1/entities/resource/default/nope`,
      );
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        name: 'NotFoundError',
        message: "Entity 'resource:default/nope' not found in the catalog",
      });
    });

    it('writes an audit line for a stored report, naming the caller and what was stored', async () => {
      const from = logLines.length;
      const res = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send({
          runs: [report(), report({ entityRef: 'component:default/redis' })],
        });
      expect(res.status).toBe(200);
      const lines = auditLines(from);
      expect(lines.map(l => l.fields.status)).toEqual([
        'initiated',
        'succeeded',
      ]);
      expect(lines[1]).toMatchObject({
        level: 'info', // severity medium
        fields: {
          plugin: 'backup-status',
          eventId: 'backup-runs-report',
          severityLevel: 'medium',
          actor: { actorId: 'external:test-service' },
          request: { method: 'POST', url: `${API}/v1/runs` },
          meta: {
            entityRefs: ['resource:default/chat-db', 'component:default/redis'],
            stored: 2,
            duplicates: 0,
          },
        },
      });
    });

    it('writes an audit line for a refused report, with the error', async () => {
      const from = logLines.length;
      const res = await request(server)
        .post(`${API}/v1/runs`)
        .set('Authorization', serviceAuth())
        .send(report({ entityRef: 'resource:default/ghost-db' }));
      expect(res.status).toBe(400);
      const lines = auditLines(from);
      expect(lines.map(l => l.fields.status)).toEqual(['initiated', 'failed']);
      expect(lines[1].fields).toMatchObject({
        eventId: 'backup-runs-report',
        actor: { actorId: 'external:test-service' },
      });
      expect(lines[1].meta).toBeInstanceOf(Error);
      expect((lines[1].meta as Error).message).toMatch(
        /entityRef: 'resource:default\/ghost-db' is not in the catalog/,
      );
    });

    describe('bad input: 4xx naming the field, nothing stored', () => {
      const cases: Array<[string, unknown, RegExp]> = [
        [
          'wrong type of sizeBytes',
          report({ sizeBytes: 'big' }),
          /^sizeBytes: /,
        ],
        ['wrong enum of type', report({ type: 'snapshot' }), /type/],
        [
          'missing idempotencyKey',
          report({ idempotencyKey: undefined }),
          /idempotencyKey/,
        ],
        ['missing startedAt', report({ startedAt: undefined }), /startedAt/],
        ['unknown field', report({ password: 'hunter2' }), /password/],
        ['non-ISO timestamp', report({ finishedAt: 'today' }), /finishedAt/],
        [
          'a finishedAt an hour ahead of receipt',
          report({ finishedAt: new Date(Date.now() + HOUR).toISOString() }),
          /^finishedAt: must be after 2000-01-01 and not more than 5 minutes ahead of now$/,
        ],
        [
          'an oldestKeptAt ten minutes ahead in a batch',
          {
            runs: [
              report(),
              report({
                oldestKeptAt: new Date(Date.now() + 10 * 60_000).toISOString(),
              }),
            ],
          },
          /^runs\[1\]\.oldestKeptAt: must be after 2000-01-01 and not more than 5 minutes ahead of now$/,
        ],
        [
          'finishedAt before startedAt',
          report({ startedAt: hoursAgo(1), finishedAt: hoursAgo(2) }),
          /finishedAt: must not be before startedAt/,
        ],
        [
          'entity not in catalog',
          report({ entityRef: 'resource:default/ghost-db' }),
          /entityRef: 'resource:default\/ghost-db' is not in the catalog/,
        ],
        [
          'entity without a backup policy',
          report({ entityRef: 'component:default/chat-backend' }),
          /entityRef: .*has no known backup policy/,
        ],
        [
          'entity with an unknown policy',
          report({ entityRef: 'resource:default/tape-db' }),
          /entityRef: .*has no known backup policy/,
        ],
        ['not an entity ref', report({ entityRef: 'chat-db' }), /entityRef/],
        [
          'one bad run in a batch',
          {
            runs: [
              report(),
              report({ entityRef: 'resource:default/ghost-db' }),
            ],
          },
          /runs\[1\]\.entityRef/,
        ],
        // the kit's one error format: the field's JavaScript path
        [
          'schema error in a batch',
          { runs: [report(), report({ status: 'ok' })] },
          /^runs\[1\]\.status: /,
        ],
        [
          'wrong type of sizeBytes in a batch',
          { runs: [report({ sizeBytes: 'big' })] },
          /^runs\[0\]\.sizeBytes: /,
        ],
        ['empty batch', { runs: [] }, /runs/],
        ['batch over 500', { runs: Array(501).fill(report()) }, /runs/],
      ];

      it.each(cases)('%s', async (_name, body, message) => {
        const before = await allRuns(server);
        const res = await request(server)
          .post(`${API}/v1/runs`)
          .set('Authorization', serviceAuth())
          .send(body as object);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(message);
        expect(await allRuns(server)).toBe(before);
      });

      it('rejects an oversized body with 413 and a clear message', async () => {
        const before = await allRuns(server);
        const res = await request(server)
          .post(`${API}/v1/runs`)
          .set('Authorization', serviceAuth())
          .send(report({ message: 'x'.repeat(300 * 1024) }));
        expect(res.status).toBe(413);
        expect(res.body.error.message).toBe(
          'Request body is larger than 256kb; send at most 500 runs per request',
        );
        expect(await allRuns(server)).toBe(before);
      });

      it('rejects broken JSON and bad query parameters with 400', async () => {
        const before = await allRuns(server);
        const broken = await request(server)
          .post(`${API}/v1/runs`)
          .set('Authorization', serviceAuth())
          .set('Content-Type', 'application/json')
          .send('{"entityRef": ');
        expect(broken.status).toBe(400);
        expect(broken.body.error.message).toBe('body: not valid JSON');
        expect(await allRuns(server)).toBe(before);
        const query = await request(server).get(
          `${API}/v1/overview?status=great&limit=0`,
        );
        expect(query.status).toBe(400);
        expect(query.body.error.message).toMatch(
          /^query\.status: .*; query\.limit: /,
        );
        const unknownParam = await request(server).get(
          `${API}/v1/overview?colour=red`,
        );
        expect(unknownParam.status).toBe(400);
        expect(unknownParam.body.error.message).toMatch(/colour/);
      });

      it.each([
        ['limit=0', /^query\.limit: /],
        ['limit=501', /^query\.limit: /],
        ['offset=-1', /^query\.offset: /],
        ['limit=ten', /^query\.limit: /],
        ['colour=red', /^query: .*colour/],
      ])(
        'rejects a bad query on the entity route: %s',
        async (query, message) => {
          const res = await request(server).get(
            `${API}/v1/entities/resource/default/chat-db?${query}`,
          );
          expect(res.status).toBe(400);
          expect(res.body.error.name).toBe('InputError');
          expect(res.body.error.message).toMatch(message);
        },
      );
    });
  });
});
