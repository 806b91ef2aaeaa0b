/*
 * The real Redis backup jobs (scripts/backup/redis-backup and
 * redis-restore-test) against the local Redis (TEST_REDIS_URL), a real
 * S3-compatible server (s3rver) and a backup-status backend over real HTTP,
 * with the real catalog and a real static ingest token: BGSAVE's RDB lands
 * in the bucket under the entity's prefix, a scratch redis-server loads it,
 * and the backup and the measured restore test show in the API. Each test
 * writes its own keys (a unique prefix in database 9) and deletes them.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BackupJobs, startBackupJobs } from '../__testUtils__/backupJobs';
import { redisForTest } from '../__testUtils__/redis';

jest.setTimeout(120_000);

const exec = promisify(execFile);
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
    let jobs: BackupJobs | undefined;
    const prefix = `backup-test:${process.pid}-${Date.now()}`;
    const written: string[] = [];

    beforeAll(async () => {
      jobs = await startBackupJobs([
        'resource:default/cache-redis',
        'resource:default/sessions-redis',
      ]);
    });

    afterAll(async () => {
      for (let i = 0; i < written.length; i += 500) {
        await redisCli('DEL', ...written.slice(i, i + 500)).catch(() => {});
      }
      await jobs?.close();
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

    const script = (name: string, args: string[]) =>
      jobs!.run(name, args, { REDIS_URL });

    it('saves the RDB to the bucket, loads it into a scratch redis-server, and reports both', async () => {
      const keys = await writeKeys('cache', 200);
      const entity = 'resource:default/cache-redis';
      const backup = await script('redis-backup', ['--entity', entity]);
      expect(backup.stdout).toMatch(/backed up Redis \(\d+ bytes, .*db9=\d+/);

      const listed = await jobs!.bucket.send(
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

      const reported = await jobs!.details(entity);
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
      const reported = await jobs!.details(entity);
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
