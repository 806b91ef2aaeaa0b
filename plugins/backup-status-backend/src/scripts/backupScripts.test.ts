/*
 * The real backup jobs (scripts/backup/postgres-backup and
 * postgres-restore-test) against the local PostgreSQL, a real S3-compatible
 * server (s3rver) and a backup-status backend over real HTTP, with the real
 * catalog and a real static ingest token as in app-config.yaml: the dump
 * lands in the bucket, and the backup and the measured restore test show in
 * the API. Each test makes its own source database, dump and entity.
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
import knexFactory, { Knex } from 'knex';
import { startBackupJobsBackend } from '../__testUtils__/backupJobsBackend';
import { waitForCatalog } from '../__testUtils__/catalog';
import { postgresForTest } from '../__testUtils__/postgres';

// s3rver ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

jest.setTimeout(120_000);

const exec = promisify(execFile);
const scripts = resolve(__dirname, '../../../../scripts/backup');
const SUITE = 'backup scripts against PostgreSQL, s3rver and the portal';
// Never a silent skip: printed without PostgreSQL, an error under CI.
const postgres = postgresForTest(process.env, SUITE);
if (!postgres.run) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ${SUITE}: ${postgres.reason}`);
}
const PG = postgres.run ? postgres.connectionString : '';
const INGEST_TOKEN = 'backup-jobs-token-0123456789abcdef';
const CATALOG_TOKEN = 'catalog-token-0123456789abcdef';
const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

(postgres.run ? describe : describe.skip)(
  postgres.run ? SUITE : `${SUITE} (skipped: ${postgres.reason})`,
  () => {
    let s3: any;
    let s3Dir: string;
    let endpoint: string;
    let bucket: S3Client;
    let admin: Knex;
    let portal: string;
    const sources: string[] = [];

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
      admin = knexFactory({ client: 'pg', connection: PG });

      const { server } = await startBackupJobsBackend({
        ingest: INGEST_TOKEN,
        catalog: CATALOG_TOKEN,
      });
      await waitForCatalog(server, {
        refs: ['resource:default/quotes-db', 'resource:default/notes-db'],
        authorization: `Bearer ${CATALOG_TOKEN}`,
      });
      portal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      for (const name of sources) {
        await admin?.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      await admin?.destroy();
      await s3?.close();
      rmSync(s3Dir, { recursive: true, force: true });
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

    function env() {
      const url = new URL(PG);
      return {
        PATH: process.env.PATH,
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        PGUSER: decodeURIComponent(url.username || 'postgres'),
        PGPASSWORD: decodeURIComponent(url.password),
        S3_ENDPOINT: endpoint,
        S3_BUCKET: 'backups',
        AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
        PLATFORM_URL: portal,
        PLATFORM_INGEST_TOKEN: INGEST_TOKEN,
      };
    }

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

      const listed = await bucket.send(
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

      const reported = await details('resource:default/quotes-db');
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
      const reported = await details('resource:default/notes-db');
      const failed = reported.runs.filter(
        (r: any) => r.type === 'restore-test' && r.status === 'failed',
      );
      expect(failed).toHaveLength(1);
      expect(failed[0].message).toContain('public.added_later missing');
    });
  },
);
