import {
  ListObjectsV2Command,
  ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { Config } from '@backstage/config';
import { RunReport } from '@platform-portal/backstage-plugin-backup-status-common';
import {
  BackupSource,
  BackupSourceScanOptions,
} from '@platform-portal/backstage-plugin-backup-status-node';
import { createHash } from 'node:crypto';

/**
 * Annotation overriding where an entity's backups live in the bucket.
 *
 * @public
 */
export const S3_PREFIX_ANNOTATION = 'platform-portal.dev/backup-s3-prefix';

/** Where an entity's backup objects live: the annotation, else `kind/namespace/name/`. */
export function entityKeyPrefix(
  entityRef: string,
  annotations: Record<string, string> | undefined,
  bucketPrefix: string,
): string {
  const explicit = annotations?.[S3_PREFIX_ANNOTATION];
  if (explicit) return explicit.endsWith('/') ? explicit : `${explicit}/`;
  const [kind, rest] = entityRef.split(':');
  return `${bucketPrefix}${kind}/${rest}/`;
}

/**
 * A {@link @platform-portal/backstage-plugin-backup-status-node#BackupSource}
 * that treats every object under an entity's prefix as one successful backup,
 * finished at its LastModified time. The oldest object still present is
 * reported as `oldestKeptAt`, so retention can be checked.
 *
 * @public
 */
export class S3BackupSource implements BackupSource {
  /** The source id, `s3`. */
  readonly id = 's3';

  /** Creates the source from the `backupStatus.s3` config block. */
  static fromConfig(config: Config): S3BackupSource {
    const endpoint = config.getOptionalString('endpoint');
    const client = new S3Client({
      region: config.getOptionalString('region') ?? 'us-east-1',
      endpoint,
      forcePathStyle:
        config.getOptionalBoolean('forcePathStyle') ?? Boolean(endpoint),
      credentials: config.has('credentials')
        ? {
            accessKeyId: config.getString('credentials.accessKeyId'),
            secretAccessKey: config.getString('credentials.secretAccessKey'),
          }
        : undefined,
    });
    return new S3BackupSource({
      client,
      bucket: config.getString('bucket'),
      prefix: config.getOptionalString('prefix') ?? '',
    });
  }

  constructor(
    private readonly options: {
      client: S3Client;
      bucket: string;
      prefix: string;
    },
  ) {}

  /** Lists each entity's objects and reports one successful run per object. */
  async scan({
    entities,
    logger,
  }: BackupSourceScanOptions): Promise<RunReport[]> {
    const { client, bucket, prefix } = this.options;
    const reports: RunReport[] = [];
    for (const { entityRef, entity } of entities) {
      const keyPrefix = entityKeyPrefix(
        entityRef,
        entity.metadata.annotations,
        prefix,
      );
      const objects: Array<{
        key: string;
        modified: Date;
        size: number;
        etag: string;
      }> = [];
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: keyPrefix,
            ContinuationToken: token,
          }),
        );
        for (const o of page.Contents ?? []) {
          if (o.Key && o.LastModified && (o.Size ?? 0) > 0) {
            objects.push({
              key: o.Key,
              modified: o.LastModified,
              size: o.Size ?? 0,
              etag: (o.ETag ?? '').replace(/"/g, ''),
            });
          }
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);

      if (objects.length === 0) continue;
      const oldest = objects.reduce((a, b) =>
        a.modified <= b.modified ? a : b,
      );
      for (const o of objects) {
        const at = o.modified.toISOString();
        const keyHash = createHash('sha256')
          .update(`${bucket}/${o.key}:${o.etag}`)
          .digest('hex');
        reports.push({
          entityRef,
          type: 'backup',
          status: 'succeeded',
          startedAt: at,
          finishedAt: at,
          idempotencyKey: `s3:${keyHash}`,
          sizeBytes: o.size,
          location: `s3://${bucket}/${o.key}`.slice(0, 1024),
          checksum: o.etag ? `etag:${o.etag}`.slice(0, 200) : undefined,
          tool: 's3',
          oldestKeptAt: oldest.modified.toISOString(),
        });
      }
      logger.debug('Listed backup objects', {
        entityRef,
        objects: objects.length,
      });
    }
    return reports;
  }
}
