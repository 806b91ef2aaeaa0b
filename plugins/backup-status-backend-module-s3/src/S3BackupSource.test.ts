import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupSourceEntity } from '@platform-portal/backstage-plugin-backup-status-node';
import { S3BackupSource, s3RunKey } from './S3BackupSource';

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

  /** A Resource with the S3 prefix annotation (or none). */
  const resource = (name: string, prefix?: string): BackupSourceEntity => ({
    entityRef: `resource:default/${name}`,
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        annotations: (prefix === undefined
          ? {}
          : { 'platform-portal.dev/backup-s3-prefix': prefix }) as Record<
          string,
          string
        >,
      },
    },
    policy,
  });

  /** A logger that keeps its warnings. */
  const recordingLogger = () => {
    const warnings: string[] = [];
    const logger = mockServices.logger.mock({
      warn: (message: string) => void warnings.push(message),
    });
    return { logger, warnings };
  };

  it('keeps an annotated prefix inside the configured prefix: escapes are skipped with a warning, the rest scanned', async () => {
    const source = S3BackupSource.fromConfig(
      new ConfigReader({
        bucket: 'estate-backups',
        prefix: 'estate/',
        endpoint,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
    );
    const client = (source as any).options.client;
    await client.send(new CreateBucketCommand({ Bucket: 'estate-backups' }));
    for (const key of [
      'estate/resource/default/chat-db/2026-11-23.dump',
      'estate/custom/redis/dump.rdb',
      'private/quote-db/2026-11-23.dump',
      'estate-private/quote-db/2026-11-23.dump',
    ]) {
      await client.send(
        new PutObjectCommand({
          Bucket: 'estate-backups',
          Key: key,
          Body: `dump of ${key}`,
        }),
      );
    }
    const hostile = [
      ['outside', 'private/'],
      ['absolute', '/estate/custom/redis'],
      ['dot-dot', 'estate/../private'],
      ['dot', 'estate/./custom'],
      ['empty-segment', 'estate//custom'],
      ['backslash', 'estate\\..\\private'],
      ['control', 'estate/custom\nredis'],
      ['the-whole-prefix', 'estate/'],
      ['sibling', 'estate-private/quote-db'],
      ['too-long', `estate/${'x'.repeat(1100)}`],
    ];
    const { logger, warnings } = recordingLogger();
    const runs = await source.scan({
      entities: [
        ...hostile.map(([name, prefix]) => resource(name, prefix)),
        resource('chat-db'),
        resource('redis', 'estate/custom/redis'),
      ],
      now: new Date(),
      logger,
    });
    // nothing outside the configured prefix was listed
    expect(runs.map(r => [r.entityRef, r.location]).sort()).toEqual([
      [
        'resource:default/chat-db',
        's3://estate-backups/estate/resource/default/chat-db/2026-11-23.dump',
      ],
      [
        'resource:default/redis',
        's3://estate-backups/estate/custom/redis/dump.rdb',
      ],
    ]);
    // one warning per refused entity, naming it and what is wrong
    expect(warnings).toHaveLength(hostile.length);
    hostile.forEach(([name], i) =>
      expect(warnings[i]).toMatch(
        new RegExp(
          `^Skipped the S3 backups of resource:default/${name}: platform-portal.dev/backup-s3-prefix '`,
        ),
      ),
    );
    expect(warnings[0]).toMatch(
      /is not inside the configured prefix 'estate\/'/,
    );
    expect(warnings[1]).toMatch(/is absolute/);
    expect(warnings[2]).toMatch(/'\.\.' segment/);
  });

  it('gives each entity its own key for one object, from the entity ref, bucket, key, ETag and time', async () => {
    const source = S3BackupSource.fromConfig(
      new ConfigReader({
        bucket: 'platform-backups',
        endpoint,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
    );
    // two entities naming one folder (the bucket from the first test)
    const runs = await source.scan({
      entities: [
        resource('one', 'custom/redis'),
        resource('two', 'custom/redis'),
      ],
      now: new Date(),
      logger: mockServices.logger.mock(),
    });
    expect(runs).toHaveLength(2);
    expect(new Set(runs.map(r => r.idempotencyKey)).size).toBe(2);
    const [one] = runs;
    expect(one.idempotencyKey).toBe(
      s3RunKey({
        entityRef: 'resource:default/one',
        bucket: 'platform-backups',
        key: 'custom/redis/dump.rdb',
        etag: one.checksum!.replace(/^etag:/, ''),
        lastModified: new Date(one.finishedAt),
      }),
    );
    expect(one.idempotencyKey).toMatch(/^s3:[0-9a-f]{64}$/);
  });
});
