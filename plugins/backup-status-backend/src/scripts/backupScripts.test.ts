/*
 * The real backup jobs (scripts/backup/postgres-backup and
 * postgres-restore-test) against the local PostgreSQL, a real S3-compatible
 * server (s3rver) and a backup-status backend over real HTTP: the dump lands
 * in the bucket, and the backup and the measured restore test show in the API.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
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
import { backupStatusPlugin } from '../plugin';

// s3rver ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

jest.setTimeout(120_000);

const exec = promisify(execFile);
const scripts = resolve(__dirname, '../../../../scripts/backup');
const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const SOURCE_DB = `backup_script_src_${process.pid}`;
const describeWithPostgres = PG ? describe : describe.skip;

describeWithPostgres(
  'backup scripts against PostgreSQL, s3rver and the portal',
  () => {
    let s3: any;
    let s3Dir: string;
    let endpoint: string;
    let admin: Knex;
    let source: Knex;
    let portal: string;

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
      const client = new S3Client({
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      await client.send(new CreateBucketCommand({ Bucket: 'backups' }));

      admin = knexFactory({ client: 'pg', connection: PG });
      await admin.raw(`DROP DATABASE IF EXISTS ${SOURCE_DB} WITH (FORCE)`);
      await admin.raw(`CREATE DATABASE ${SOURCE_DB}`);
      const url = new URL(PG!);
      url.pathname = `/${SOURCE_DB}`;
      source = knexFactory({ client: 'pg', connection: url.toString() });
      await source.schema.createTable('quotes', t => {
        t.increments('id');
        t.text('text');
      });
      await source.schema.createTable('authors', t => {
        t.increments('id');
        t.string('name');
      });
      await source('quotes').insert(
        Array.from({ length: 250 }, (_, i) => ({ text: `quote ${i}` })),
      );
      await source('authors').insert([{ name: 'a' }, { name: 'b' }]);

      const { server } = await startTestBackend({
        features: [
          backupStatusPlugin,
          catalogServiceMock.factory({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Resource',
                metadata: {
                  name: 'quotes-db',
                  annotations: {
                    'platform-portal.dev/backup-policy': 'postgres-daily',
                  },
                },
                spec: { type: 'database', owner: 'quote-team' },
              },
            ],
          }),
          mockServices.rootConfig.factory({ data: {} }),
        ],
      });
      portal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await source?.destroy();
      await admin?.raw(`DROP DATABASE IF EXISTS ${SOURCE_DB} WITH (FORCE)`);
      await admin?.destroy();
      await s3?.close();
      rmSync(s3Dir, { recursive: true, force: true });
    });

    function env() {
      const url = new URL(PG!);
      return {
        PATH: process.env.PATH,
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        PGUSER: decodeURIComponent(url.username || 'postgres'),
        PGPASSWORD: decodeURIComponent(url.password),
        S3_ENDPOINT: endpoint,
        S3_BUCKET: 'backups',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        PLATFORM_URL: portal,
        // the test backend accepts its mock service token as an external token
        PLATFORM_INGEST_TOKEN: mockCredentials.service.token(),
      };
    }

    it('backs up, restores into a scratch database, and reports both', async () => {
      const args = [
        '--database',
        SOURCE_DB,
        '--entity',
        'resource:default/quotes-db',
      ];
      const backup = await exec(
        process.execPath,
        [join(scripts, 'postgres-backup'), ...args],
        {
          env: env(),
        },
      );
      expect(backup.stdout).toContain(`backed up ${SOURCE_DB}`);

      const listed = await new S3Client({
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }).send(
        new ListObjectsV2Command({
          Bucket: 'backups',
          Prefix: `postgres/${SOURCE_DB}/`,
        }),
      );
      expect(listed.Contents).toHaveLength(1);
      expect(listed.Contents![0].Size).toBeGreaterThan(1000);

      const restore = await exec(
        process.execPath,
        [join(scripts, 'postgres-restore-test'), ...args, '--strict-counts'],
        { env: env() },
      );
      expect(restore.stdout).toMatch(/restored 2 tables, 252 rows in [\d.]+ s/);

      // the scratch database is gone
      const { rows } = await admin.raw(
        `select datname from pg_database where datname like 'restore_test_%'`,
      );
      expect(rows).toEqual([]);

      const details = await fetch(
        `${portal}/api/backup-status/v1/entities/resource/default/quotes-db`,
        {
          headers: {
            authorization: `Bearer ${mockCredentials.service.token()}`,
          },
        },
      ).then(r => r.json());
      expect(details.totalRuns).toBe(2);
      const kinds = details.runs
        .map((r: any) => `${r.type}:${r.status}`)
        .sort();
      expect(kinds).toEqual(['backup:succeeded', 'restore-test:succeeded']);
      const backupRun = details.runs.find((r: any) => r.type === 'backup');
      expect(backupRun.location).toBe(
        `s3://backups/${listed.Contents![0].Key}`,
      );
      expect(backupRun.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(backupRun.sizeBytes).toBe(listed.Contents![0].Size);
      expect(details.backup.lastRestoreTest).toMatchObject({
        type: 'restore-test',
        status: 'succeeded',
      });
      expect(
        details.backup.lastRestoreTest.durationMinutes,
      ).toBeGreaterThanOrEqual(0);
    });

    it('reports a failed restore test when a table is missing from the dump', async () => {
      // a table created after the backup is not in the newest dump
      await source.schema.createTable('added_later', t => t.increments('id'));
      const args = [
        '--database',
        SOURCE_DB,
        '--entity',
        'resource:default/quotes-db',
      ];
      await expect(
        exec(
          process.execPath,
          [join(scripts, 'postgres-restore-test'), ...args],
          { env: env() },
        ),
      ).rejects.toMatchObject({ code: 1 });
      const details = await fetch(
        `${portal}/api/backup-status/v1/entities/resource/default/quotes-db`,
        {
          headers: {
            authorization: `Bearer ${mockCredentials.service.token()}`,
          },
        },
      ).then(r => r.json());
      const failed = details.runs.find(
        (r: any) => r.type === 'restore-test' && r.status === 'failed',
      );
      expect(failed.message).toContain('public.added_later missing');
    });
  },
);
