/*
 * The real Redis backup jobs (scripts/backup/redis-backup and
 * redis-restore-test) against the local Redis (TEST_REDIS_URL), a real
 * S3-compatible server (s3rver) and a backup-status backend over real HTTP,
 * with the real catalog and a real static ingest token: BGSAVE's RDB lands
 * in the bucket under the entity's prefix, a scratch redis-server loads it,
 * and the backup and the measured restore test show in the API. Each test
 * writes its own keys (a unique prefix in database 9) and deletes them.
 */
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startBackupJobsBackend } from '../__testUtils__/backupJobsBackend';
import { waitForCatalog } from '../__testUtils__/catalog';
import { redisForTest } from '../__testUtils__/redis';

// s3rver ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

jest.setTimeout(120_000);

const exec = promisify(execFile);
const scripts = resolve(__dirname, '../../../../scripts/backup');
const SUITE = 'Redis backup scripts against Redis, s3rver and the portal';
// Never a silent skip: printed without Redis, an error under CI.
const redis = redisForTest(process.env, SUITE);
if (!redis.run) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ${SUITE}: ${redis.reason}`);
}
const REDIS_URL = redis.run ? redis.url : '';
/** The test's keys live in their own database number, under a unique prefix. */
const DB = 9;
const INGEST_TOKEN = 'backup-jobs-token-0123456789abcdef';
const CATALOG_TOKEN = 'catalog-token-0123456789abcdef';
const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** redis-cli on the test's Redis and database; an error reply rejects. */
async function redisCli(...command: string[]) {
  const url = new URL(REDIS_URL);
  const { stdout } = await exec(
    'redis-cli',
    [
      '-e',
      '-h',
      url.hostname,
      '-p',
      url.port || '6379',
      '-n',
      String(DB),
      ...command,
    ],
    {
      env: {
        ...process.env,
        ...(url.password && {
          REDISCLI_AUTH: decodeURIComponent(url.password),
        }),
      },
    },
  );
  return stdout.trim();
}

(redis.run ? describe : describe.skip)(
  redis.run ? SUITE : `${SUITE} (skipped: ${redis.reason})`,
  () => {
    let s3: any;
    let s3Dir: string;
    let endpoint: string;
    let bucket: S3Client;
    let portal: string;
    const prefix = `backup-test:${process.pid}-${Date.now()}`;
    const written: string[] = [];

    beforeAll(async () => {
      s3Dir = mkdtempSync(join(tmpdir(), 's3rver-'));
      s3 = new S3rver({
        address: '127.0.0.1',
        port: 0,
        silent: true,
        directory: s3Dir,
      });
      const address: AddressInfo = await s3.run();
      endpoint = `http://127.0.0.1:${address.port}`;
      bucket = new S3Client({
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: S3_CREDENTIALS,
      });
      await bucket.send(new CreateBucketCommand({ Bucket: 'backups' }));

      const { server } = await startBackupJobsBackend({
        ingest: INGEST_TOKEN,
        catalog: CATALOG_TOKEN,
      });
      await waitForCatalog(server, {
        refs: [
          'resource:default/cache-redis',
          'resource:default/sessions-redis',
        ],
        authorization: `Bearer ${CATALOG_TOKEN}`,
      });
      portal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      for (let i = 0; i < written.length; i += 500) {
        await redisCli('DEL', ...written.slice(i, i + 500)).catch(() => {});
      }
      await s3?.close();
      if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
    });

    /** Writes `count` keys `<prefix>:<name>:<i>` into the test's database. */
    async function writeKeys(name: string, count: number) {
      const keys = Array.from(
        { length: count },
        (_, i) => `${prefix}:${name}:${i}`,
      );
      written.push(...keys);
      await redisCli('MSET', ...keys.flatMap(k => [k, `value of ${k}`]));
      return keys;
    }

    const env = () => ({
      PATH: process.env.PATH,
      REDIS_URL,
      S3_ENDPOINT: endpoint,
      S3_BUCKET: 'backups',
      AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
      PLATFORM_URL: portal,
      PLATFORM_INGEST_TOKEN: INGEST_TOKEN,
    });

    const script = (name: string, args: string[]) =>
      exec(process.execPath, [join(scripts, name), ...args], { env: env() });

    async function details(entityRef: string) {
      const [kind, rest] = entityRef.split(':');
      const res = await fetch(
        `${portal}/api/backup-status/v1/entities/${kind}/${rest}`,
        { headers: { authorization: `Bearer ${INGEST_TOKEN}` } },
      );
      expect(res.status).toBe(200);
      return res.json();
    }

    it('saves the RDB to the bucket, loads it into a scratch redis-server, and reports both', async () => {
      const keys = await writeKeys('cache', 200);
      const entity = 'resource:default/cache-redis';
      const backup = await script('redis-backup', ['--entity', entity]);
      expect(backup.stdout).toMatch(/backed up Redis \(\d+ bytes, .*db9=\d+/);

      const listed = await bucket.send(
        new ListObjectsV2Command({
          Bucket: 'backups',
          Prefix: 'resource/default/cache-redis/',
        }),
      );
      expect(listed.Contents).toHaveLength(1);
      expect(listed.Contents![0].Key).toMatch(/\.rdb$/);
      expect(listed.Contents![0].Size).toBeGreaterThan(200 * 20);

      const restore = await script('redis-restore-test', [
        '--entity',
        entity,
        '--db',
        String(DB),
        '--min-keys',
        '200',
        '--expect-keys',
        [keys[0], keys[199]].join(','),
      ]);
      expect(restore.stdout).toMatch(
        /restored \d+ keys in db 9, 2 expected keys present in [\d.]+ s/,
      );

      const reported = await details(entity);
      expect(reported.totalRuns).toBe(2);
      const backupRun = reported.runs.find((r: any) => r.type === 'backup');
      expect(backupRun).toMatchObject({
        status: 'succeeded',
        tool: 'redis-bgsave',
        location: `s3://backups/${listed.Contents![0].Key}`,
        sizeBytes: listed.Contents![0].Size,
      });
      expect(backupRun.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
      const test = reported.runs.find((r: any) => r.type === 'restore-test');
      expect(test).toMatchObject({
        status: 'succeeded',
        tool: 'redis-server',
        location: backupRun.location,
      });
      expect(reported.backup.lastRestoreTest).toMatchObject({
        type: 'restore-test',
        status: 'succeeded',
      });
      // the measured restore time is reported (its value is not asserted)
      expect(typeof reported.backup.lastRestoreTest.durationMinutes).toBe(
        'number',
      );
      expect(Date.parse(test.finishedAt)).toBeGreaterThanOrEqual(
        Date.parse(test.startedAt),
      );
    });

    it('reports a failed restore test when an expected key is not in the RDB', async () => {
      const [kept] = await writeKeys('sessions', 1);
      const entity = 'resource:default/sessions-redis';
      await script('redis-backup', ['--entity', entity]);
      // written after the backup: not in the newest RDB
      const [later] = await writeKeys('sessions-later', 1);
      await expect(
        script('redis-restore-test', [
          '--entity',
          entity,
          '--db',
          String(DB),
          '--expect-keys',
          `${kept},${later}`,
        ]),
      ).rejects.toMatchObject({ code: 1 });
      const reported = await details(entity);
      const failed = reported.runs.filter(
        (r: any) => r.type === 'restore-test' && r.status === 'failed',
      );
      expect(failed).toHaveLength(1);
      expect(failed[0].message).toBe(
        `restore check failed: ${later} missing in db 9`,
      );
      expect(reported.backup.status).toBe('critical');
    });
  },
);
