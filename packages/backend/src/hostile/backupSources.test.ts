/*
 * Trust issue, backups: what an entity's annotations and another team's CI
 * may do to the backup status. The S3 source lists a real S3-compatible
 * server (s3rver on a loopback port) with the portal's credentials, and an
 * entity's `platform-portal.dev/backup-s3-prefix` chooses the folder:
 *
 * - mallory, any signed-in user, registers a database whose prefix points
 *   at quote's dumps and at the bucket's private folder: an entity from an
 *   untrusted location never drives a listing;
 * - even an entity from a trusted location may not name a prefix outside
 *   the configured one (`..`, absolute, another folder): it is skipped with
 *   a warning and the scan of the others goes on;
 * - chat's CI may not report quote's backups, a batch with one foreign run
 *   stores nothing, a key cannot be pre-claimed against the S3 source, and
 *   the same key with other content is a conflict.
 *
 * Fakes, named as such: the sign-in provider and the tenants' repositories
 * (the harness's). The backend, catalog, permission policy, auth and the
 * S3-compatible server are real.
 */
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { s3RunKey } from '@platform-portal/backstage-plugin-backup-status-backend-module-s3';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  as,
  INGEST_CREDENTIALS,
  Portal,
  startPortal,
  TOKENS,
} from './__testUtils__/harness';

// s3rver ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

jest.setTimeout(240_000);

const BUCKET = 'estate-backups';
const S3_TASK = 'backup-status:source:s3';
const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A database Resource with a backup policy and, maybe, an S3 prefix. */
const database = (name: string, owner: string, prefix?: string) =>
  `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: ${name}
  annotations:
    platform-portal.dev/backup-policy: postgres-daily
${
  prefix === undefined
    ? ''
    : `    platform-portal.dev/backup-s3-prefix: ${JSON.stringify(prefix)}\n`
}spec: { type: database, owner: ${owner} }
`;

describe('hostile tenant: backup sources and reports', () => {
  let portal: Portal;
  let s3: any;
  let s3Dir: string;
  let bucket: S3Client;

  const put = (key: string) =>
    bucket.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `dump ${key}` }),
    );

  /** The runs of a Resource, as the suite's observer reads them. */
  const runs = async (name: string) => {
    const res = await as(
      portal.server,
      TOKENS.observer,
      'get',
      `/api/backup-status/v1/entities/resource/default/${name}?limit=500`,
    );
    expect(res.status).toBe(200);
    return res.body.runs as Array<{
      idempotencyKey: string;
      location?: string;
      status: string;
      tool?: string;
    }>;
  };

  beforeAll(async () => {
    s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-s3rver-'));
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: s3Dir,
    });
    const { port } = (await s3.run()) as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    bucket = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: S3_CREDENTIALS,
    });
    await bucket.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of [
      'estate/resource/default/quote-db/2026-12-01.dump',
      'estate/resource/default/chat-db/2026-12-01.dump',
      'estate/platform/platform-db/2026-12-01.dump',
      'private/secrets/vault-snapshot.tar',
      'private/platform/signing-keys.tar',
    ]) {
      await put(key);
    }

    portal = await startPortal(({ reposUrl }) => ({
      backupStatus: {
        s3: {
          bucket: BUCKET,
          endpoint,
          prefix: 'estate/',
          credentials: S3_CREDENTIALS,
        },
      },
      platformPortal: {
        ingest: { credentials: INGEST_CREDENTIALS },
        // the platform team's own repository is trusted; mallory's is not
        trustedLocations: [`url:${reposUrl}/platform/`],
      },
    }));

    // mallory's databases, from her own repository: one aims at quote's
    // dumps, one at the private folder
    const mallory = await portal.signIn('mallory');
    const malloryFile = portal.repos.set(
      '/mallory/catalog-info.yaml',
      [
        database(
          'mallory-db',
          'mallory-team',
          'estate/resource/default/quote-db',
        ),
        database('mallory-vault', 'mallory-team', 'private/secrets'),
      ].join('---\n'),
    );
    const registered = await portal.register(mallory, malloryFile);
    if (registered.status !== 201) {
      throw new Error(`mallory's registration: ${registered.status}`);
    }
    // the platform team's repository: trusted, with prefixes that try to
    // leave the configured one, and one that stays inside
    const pat = await portal.signIn('pat');
    const platformFile = portal.repos.set(
      '/platform/catalog-info.yaml',
      [
        // (a folder of its own: no other entity lists it)
        database('escape-db', 'platform-team', 'estate/../private/platform'),
        database('absolute-db', 'platform-team', '/private/platform'),
        database('outside-db', 'platform-team', 'private/platform'),
        database('platform-db', 'platform-team', 'estate/platform/platform-db'),
      ].join('---\n'),
    );
    const trusted = await portal.register(pat, platformFile);
    if (trusted.status !== 201) {
      throw new Error(`the platform registration: ${trusted.status}`);
    }
    for (const name of [
      'mallory-db',
      'mallory-vault',
      'escape-db',
      'absolute-db',
      'outside-db',
      'platform-db',
      'quote-db',
      'chat-db',
    ]) {
      await portal.waitForEntity(`resource/default/${name}`);
    }
    await portal.triggerTask(S3_TASK);
  });

  afterAll(async () => {
    await portal?.stop();
    await s3?.close();
    if (s3Dir) fs.rmSync(s3Dir, { recursive: true, force: true });
  });

  it("an untrusted entity's prefix never drives a listing: quote's dumps and the private folder stay off mallory's pages", async () => {
    expect(await runs('mallory-db')).toEqual([]);
    expect(await runs('mallory-vault')).toEqual([]);
    // quote's own dump shows on quote's page (the estate's default layout),
    // and nothing from outside quote's folder (later tests in any order may
    // add reports of their own to quote-db)
    const folder = `s3://${BUCKET}/estate/resource/default/quote-db/`;
    const locations = (await runs('quote-db')).flatMap(r =>
      r.location ? [r.location] : [],
    );
    expect(locations).toContain(`${folder}2026-12-01.dump`);
    expect(locations.filter(l => !l.startsWith(folder))).toEqual([]);
  });

  it('a trusted entity may not leave the configured prefix; the scan of the others goes on', async () => {
    for (const name of ['escape-db', 'absolute-db', 'outside-db']) {
      expect(await runs(name)).toEqual([]);
    }
    expect((await runs('platform-db')).map(r => r.location)).toEqual([
      `s3://${BUCKET}/estate/platform/platform-db/2026-12-01.dump`,
    ]);
    expect((await runs('chat-db')).map(r => r.location)).toEqual([
      `s3://${BUCKET}/estate/resource/default/chat-db/2026-12-01.dump`,
    ]);
  });

  const report = (entity: string, key: string, extra = {}) => ({
    entityRef: `resource:default/${entity}`,
    type: 'backup',
    status: 'failed',
    startedAt: new Date(Date.now() - 600_000).toISOString(),
    finishedAt: new Date(Date.now() - 500_000).toISOString(),
    idempotencyKey: key,
    ...extra,
  });

  it("chat CI may not report quote's backups; a batch with one foreign run stores nothing", async () => {
    const quoteBefore = (await runs('quote-db')).length;
    const chatBefore = (await runs('chat-db')).length;
    const single = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/backup-status/v1/runs',
    ).send(report('quote-db', 'hostile-backup-source-0001'));
    expect(single.status).toBe(403);
    expect(single.body.error.message).toBe(
      'entityRef: ci-chat may not report for resource:default/quote-db (owned by group:default/quote-team); it reports for entities owned by group:default/chat-team',
    );
    const batch = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/backup-status/v1/runs',
    ).send({
      runs: [
        report('chat-db', 'hostile-backup-source-0002'),
        report('quote-db', 'hostile-backup-source-0003'),
      ],
    });
    expect(batch.status).toBe(403);
    expect(batch.body.error.message).toMatch(
      /^runs\[1\]\.entityRef: ci-chat may not report for resource:default\/quote-db/,
    );
    expect((await runs('quote-db')).length).toBe(quoteBefore);
    expect((await runs('chat-db')).length).toBe(chatBefore);
  });

  it("a credential cannot pre-claim the key of the S3 source's next run", async () => {
    // quote's next dump lands; before the scan, a CI token that may report
    // for quote-db claims the key the scan will use, with a failed run
    const key = 'estate/resource/default/quote-db/2026-12-02.dump';
    await put(key);
    // what the scan will see: the listing's ETag and LastModified
    const listed = await bucket.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }),
    );
    const object = listed.Contents![0];
    const scanKey = s3RunKey({
      entityRef: 'resource:default/quote-db',
      bucket: BUCKET,
      key,
      etag: (object.ETag ?? '').replace(/"/g, ''),
      lastModified: object.LastModified!,
    });
    const claim = await as(
      portal.server,
      TOKENS.quote,
      'post',
      '/api/backup-status/v1/runs',
    ).send(report('quote-db', scanKey));
    expect(claim.status).toBe(200);
    expect(claim.body).toEqual({ stored: 1, duplicates: 0 });

    await portal.triggerTask(S3_TASK);
    // the scan's own run is stored under the same key, in its own source
    const withKey = (await runs('quote-db')).filter(
      r => r.idempotencyKey === scanKey,
    );
    expect(withKey.map(r => [r.tool ?? 'http', r.status]).sort()).toEqual([
      ['http', 'failed'],
      ['s3', 'succeeded'],
    ]);
  });

  it('the same key with other content is a conflict (409), a retry a duplicate', async () => {
    const body = report('chat-db', 'hostile-backup-source-0004');
    const first = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/backup-status/v1/runs',
    ).send(body);
    expect(first.body).toEqual({ stored: 1, duplicates: 0 });
    const retry = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/backup-status/v1/runs',
    ).send(body);
    expect(retry.body).toEqual({ stored: 0, duplicates: 1 });
    const before = (await runs('chat-db')).length;
    const other = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/backup-status/v1/runs',
    ).send({ ...body, status: 'succeeded' });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(
      /^idempotencyKey: 'hostile-backup-source-0004' was reported before with other content \(status differ\)/,
    );
    expect((await runs('chat-db')).length).toBe(before);
  });

  it('a run dated an hour ahead is refused (400 naming the field)', async () => {
    const before = (await runs('chat-db')).length;
    const res = await as(
      portal.server,
      TOKENS.chat,
      'post',
      '/api/backup-status/v1/runs',
    ).send(
      report('chat-db', 'hostile-backup-source-0005', {
        status: 'succeeded',
        finishedAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^finishedAt: /);
    expect((await runs('chat-db')).length).toBe(before);
  });
});
