/*
 * The real backup jobs (scripts/backup/postgres-backup and
 * postgres-restore-test) against the local PostgreSQL, a real S3-compatible
 * server (s3rver) and a backup-status backend over real HTTP, with the real
 * catalog and a real static ingest token as in app-config.yaml: the dump
 * lands in the bucket, and the backup and the measured restore test show in
 * the API. Each test makes its own source database, dump and entity.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import knexFactory, { Knex } from 'knex';
import { BackupJobs, startBackupJobs } from '../__testUtils__/backupJobs';
import { postgresForTest } from '../__testUtils__/postgres';

jest.setTimeout(120_000);

const SUITE = 'backup scripts against PostgreSQL, s3rver and the portal';
// Never a silent skip: printed without PostgreSQL, an error under CI.
const postgres = postgresForTest(process.env, SUITE);
if (!postgres.run) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ${SUITE}: ${postgres.reason}`);
}
const PG = postgres.run ? postgres.connectionString : '';

(postgres.run ? describe : describe.skip)(
  postgres.run ? SUITE : `${SUITE} (skipped: ${postgres.reason})`,
  () => {
    let jobs: BackupJobs | undefined;
    let admin: Knex;
    const sources: string[] = [];

    beforeAll(async () => {
      admin = knexFactory({ client: 'pg', connection: PG });
      jobs = await startBackupJobs([
        'resource:default/quotes-db',
        'resource:default/notes-db',
      ]);
    });

    afterAll(async () => {
      for (const name of sources) {
        await admin?.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      await admin?.destroy();
      await jobs?.close();
    });

    /** A fresh source database of this test: `quotes` (250 rows), `authors` (2). */
    async function createSourceDatabase(name: string) {
      const database = `${name}_${process.pid}`;
      sources.push(database);
      await admin.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.raw(`CREATE DATABASE ${database}`);
      const url = new URL(PG);
      url.pathname = `/${database}`;
      const db = knexFactory({ client: 'pg', connection: url.toString() });
      try {
        await db.schema.createTable('quotes', t => {
          t.increments('id');
          t.text('text');
        });
        await db.schema.createTable('authors', t => {
          t.increments('id');
          t.string('name');
        });
        await db('quotes').insert(
          Array.from({ length: 250 }, (_, i) => ({ text: `quote ${i}` })),
        );
        await db('authors').insert([{ name: 'a' }, { name: 'b' }]);
      } finally {
        await db.destroy();
      }
      return { database, url: url.toString() };
    }

    /** The job with the PG* env of the test's server. */
    function script(name: string, args: string[]) {
      const url = new URL(PG);
      return jobs!.run(name, args, {
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        PGUSER: decodeURIComponent(url.username || 'postgres'),
        PGPASSWORD: decodeURIComponent(url.password),
      });
    }

    it('backs up, restores into a scratch database, and reports both', async () => {
      const { database } = await createSourceDatabase('backup_quotes');
      const args = [
        '--database',
        database,
        '--entity',
        'resource:default/quotes-db',
      ];
      const backup = await script('postgres-backup', args);
      expect(backup.stdout).toContain(`backed up ${database}`);

      const listed = await jobs!.bucket.send(
        new ListObjectsV2Command({
          Bucket: 'backups',
          Prefix: `postgres/${database}/`,
        }),
      );
      expect(listed.Contents).toHaveLength(1);
      expect(listed.Contents![0].Size).toBeGreaterThan(1000);

      const restore = await script('postgres-restore-test', [
        ...args,
        '--strict-counts',
      ]);
      expect(restore.stdout).toMatch(/restored 2 tables, 252 rows in [\d.]+ s/);

      // the scratch database is gone
      const { rows } = await admin.raw(
        `select datname from pg_database where datname like ?`,
        [`restore_test_${database}%`],
      );
      expect(rows).toEqual([]);

      const reported = await jobs!.details('resource:default/quotes-db');
      expect(reported.totalRuns).toBe(2);
      const kinds = reported.runs
        .map((r: any) => `${r.type}:${r.status}`)
        .sort();
      expect(kinds).toEqual(['backup:succeeded', 'restore-test:succeeded']);
      const backupRun = reported.runs.find((r: any) => r.type === 'backup');
      expect(backupRun.location).toBe(
        `s3://backups/${listed.Contents![0].Key}`,
      );
      expect(backupRun.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(backupRun.sizeBytes).toBe(listed.Contents![0].Size);
      expect(reported.backup.lastRestoreTest).toMatchObject({
        type: 'restore-test',
        status: 'succeeded',
      });
      // the measured restore time is reported (its value is not asserted)
      expect(typeof reported.backup.lastRestoreTest.durationMinutes).toBe(
        'number',
      );
    });

    it('reports a failed restore test when a table is missing from the dump', async () => {
      const { database, url } = await createSourceDatabase('backup_notes');
      const args = [
        '--database',
        database,
        '--entity',
        'resource:default/notes-db',
      ];
      await script('postgres-backup', args);
      // a table created after the backup is not in the newest dump
      const db = knexFactory({ client: 'pg', connection: url });
      try {
        await db.schema.createTable('added_later', t => t.increments('id'));
      } finally {
        await db.destroy();
      }
      await expect(script('postgres-restore-test', args)).rejects.toMatchObject(
        { code: 1 },
      );
      const reported = await jobs!.details('resource:default/notes-db');
      const failed = reported.runs.filter(
        (r: any) => r.type === 'restore-test' && r.status === 'failed',
      );
      expect(failed).toHaveLength(1);
      expect(failed[0].message).toContain('public.added_later missing');
    });
  },
);
