import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// s3rver ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

/** s3rver's fixed credentials, which the backup jobs get as AWS_* env. */
export const S3_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
};

/**
 * A real S3-compatible server (s3rver) on a free loopback port, over a
 * temporary folder, with one empty bucket: what the backup jobs write to.
 */
export async function startS3rverBucket(bucketName: string): Promise<{
  endpoint: string;
  bucket: S3Client;
  close(): Promise<void>;
}> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
  });
  const address: AddressInfo = await s3.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const bucket = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: S3_CREDENTIALS,
  });
  await bucket.send(new CreateBucketCommand({ Bucket: bucketName }));
  return {
    endpoint,
    bucket,
    async close() {
      bucket.destroy();
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
