import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3BackupSource } from './S3BackupSource';

// s3rver ships without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

jest.setTimeout(30_000);

const policy = {
  name: 'postgres-daily',
  schedule: '0 2 * * *',
  rpoHours: 24,
  retentionDays: 30,
  restoreTestIntervalDays: 7,
  rtoHours: 2,
  graceHours: 2,
};

describe('S3BackupSource against a real s3rver', () => {
  let server: any;
  let dir: string;
  let endpoint: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
    });
    const address: AddressInfo = await server.run();
    endpoint = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each object under the entity prefix as a backup, idempotently', async () => {
    const source = S3BackupSource.fromConfig(
      new ConfigReader({
        bucket: 'platform-backups',
        endpoint,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
    );
    const client = (source as any).options.client;
    await client.send(new CreateBucketCommand({ Bucket: 'platform-backups' }));
    for (const key of [
      'resource/default/chat-db/2026-11-22.dump',
      'resource/default/chat-db/2026-11-23.dump',
      'resource/default/other-db/2026-11-23.dump',
    ]) {
      await client.send(
        new PutObjectCommand({
          Bucket: 'platform-backups',
          Key: key,
          Body: `dump of ${key}`,
        }),
      );
    }
    await client.send(
      new PutObjectCommand({
        Bucket: 'platform-backups',
        Key: 'custom/redis/dump.rdb',
        Body: 'rdb',
      }),
    );

    const scan = () =>
      source.scan({
        entities: [
          {
            entityRef: 'resource:default/chat-db',
            entity: {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: { name: 'chat-db' },
            },
            policy,
          },
          {
            entityRef: 'component:default/redis',
            entity: {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'redis',
                annotations: {
                  'platform-portal.dev/backup-s3-prefix': 'custom/redis',
                },
              },
            },
            policy,
          },
        ],
        now: new Date(),
        logger: mockServices.logger.mock(),
      });

    const runs = await scan();
    expect(runs.map(r => r.location).sort()).toEqual([
      's3://platform-backups/custom/redis/dump.rdb',
      's3://platform-backups/resource/default/chat-db/2026-11-22.dump',
      's3://platform-backups/resource/default/chat-db/2026-11-23.dump',
    ]);
    const chat = runs.filter(r => r.entityRef === 'resource:default/chat-db');
    expect(chat[0]).toMatchObject({
      type: 'backup',
      status: 'succeeded',
      tool: 's3',
      sizeBytes: 'dump of resource/default/chat-db/2026-11-22.dump'.length,
    });
    expect(chat[0].oldestKeptAt).toBeDefined();
    const again = await scan();
    expect(again.map(r => r.idempotencyKey).sort()).toEqual(
      runs.map(r => r.idempotencyKey).sort(),
    );
  });
});
