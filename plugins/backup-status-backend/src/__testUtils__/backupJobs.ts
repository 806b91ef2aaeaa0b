import { S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startBackupJobsBackend } from './backupJobsBackend';
import { waitForCatalog } from './catalog';
import { S3_CREDENTIALS, startS3rverBucket } from './s3rverBucket';

const exec = promisify(execFile);
const SCRIPTS = resolve(__dirname, '../../../../scripts/backup');
const INGEST_TOKEN = 'backup-jobs-token-0123456789abcdef';
const CATALOG_TOKEN = 'catalog-token-0123456789abcdef';

/** What a backup job test runs against; see {@link startBackupJobs}. */
export type BackupJobs = {
  /** The `backups` bucket the jobs write to. */
  bucket: S3Client;
  /**
   * Runs `scripts/backup/<name>` with the env every job gets (the bucket,
   * the portal and the jobs' ingest token) plus `env`.
   */
  run(
    name: string,
    args: string[],
    env?: Record<string, string | undefined>,
  ): Promise<{ stdout: string; stderr: string }>;
  /** The entity's backup details as the API answers them (200 expected). */
  details(entityRef: string): Promise<any>;
  close(): Promise<void>;
};

/**
 * The real backup jobs' surroundings: s3rver with a `backups` bucket and a
 * backup-status backend with the catalog of `backup-scripts.catalog.yaml`
 * and the real static-token auth, ready once the catalog holds `refs`.
 */
export async function startBackupJobs(refs: string[]): Promise<BackupJobs> {
  const s3 = await startS3rverBucket('backups');
  const { server } = await startBackupJobsBackend({
    ingest: INGEST_TOKEN,
    catalog: CATALOG_TOKEN,
  });
  await waitForCatalog(server, {
    refs,
    authorization: `Bearer ${CATALOG_TOKEN}`,
  });
  const portal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    bucket: s3.bucket,
    run: (name, args, env = {}) =>
      exec(process.execPath, [join(SCRIPTS, name), ...args], {
        env: {
          PATH: process.env.PATH,
          S3_ENDPOINT: s3.endpoint,
          S3_BUCKET: 'backups',
          AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
          PLATFORM_URL: portal,
          PLATFORM_INGEST_TOKEN: INGEST_TOKEN,
          ...env,
        },
      }),
    async details(entityRef) {
      const [kind, rest] = entityRef.split(':');
      const res = await fetch(
        `${portal}/api/backup-status/v1/entities/${kind}/${rest}`,
        { headers: { authorization: `Bearer ${INGEST_TOKEN}` } },
      );
      if (res.status !== 200) {
        throw new Error(`${entityRef}: ${res.status} ${await res.text()}`);
      }
      return res.json();
    },
    close: () => s3.close(),
  };
}
