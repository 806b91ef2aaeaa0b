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

/** The longest S3 object key (and so key prefix), in bytes. */
const MAX_S3_KEY_BYTES = 1024;

/**
 * Where an entity's backup objects live in the bucket: the annotation
 * `platform-portal.dev/backup-s3-prefix`, else `<prefix><kind>/<namespace>/<name>/`.
 * An annotation is the full key prefix and must stay inside the configured
 * `prefix`: it must start with it and name a folder below it, relative
 * (no leading `/`), without `.`, `..` or empty segments, backslashes or
 * control characters. Nothing an entity says may widen the listing to
 * another part of the bucket (another team's dumps, the whole bucket).
 *
 * Throws an `Error` naming the annotation and what is wrong.
 */
export function entityKeyPrefix(
  entityRef: string,
  annotations: Record<string, string> | undefined,
  bucketPrefix: string,
): string {
  const explicit = annotations?.[S3_PREFIX_ANNOTATION];
  if (explicit === undefined || explicit === '') {
    const [kind, rest] = entityRef.split(':');
    return `${bucketPrefix}${kind}/${rest}/`;
  }
  const refuse = (why: string): never => {
    throw new Error(
      `${S3_PREFIX_ANNOTATION} '${explicit.slice(0, 200)}' ${why}`,
    );
  };
  if (explicit.startsWith('/'))
    refuse('is absolute; give a key prefix inside the configured prefix');
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(explicit)) {
    refuse('contains a backslash or a control character');
  }
  const folder = explicit.endsWith('/') ? explicit : `${explicit}/`;
  const segments = folder.slice(0, -1).split('/');
  if (
    segments.some(
      segment => segment === '.' || segment === '..' || segment === '',
    )
  ) {
    refuse("has an empty, '.' or '..' segment");
  }
  if (
    !folder.startsWith(bucketPrefix) ||
    folder.length <= bucketPrefix.length
  ) {
    refuse(`is not inside the configured prefix '${bucketPrefix}'`);
  }
  if (Buffer.byteLength(folder) > MAX_S3_KEY_BYTES) {
    refuse(`is longer than ${MAX_S3_KEY_BYTES} bytes`);
  }
  return folder;
}

/**
 * The idempotency key of one object as one entity's backup:
 * `s3:<sha256>` of the entity ref, bucket, object key, ETag and
 * LastModified. With the entity ref, two entities whose prefixes overlap
 * get one run each; with LastModified, an object written again with the
 * same bytes is a new backup, not the old one with other times.
 *
 * @public
 */
export function s3RunKey(object: {
  entityRef: string;
  bucket: string;
  key: string;
  etag: string;
  lastModified: Date;
}): string {
  const hash = createHash('sha256')
    .update(
      [
        object.entityRef,
        object.bucket,
        object.key,
        object.etag,
        object.lastModified.toISOString(),
      ].join('\n'),
    )
    .digest('hex');
  return `s3:${hash}`;
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

  /**
   * Lists each entity's objects and reports one successful run per object.
   * An entity whose annotation is refused (see the README, "Layout") is
   * skipped with a warning naming it; the others are scanned.
   */
  async scan({
    entities,
    logger,
  }: BackupSourceScanOptions): Promise<RunReport[]> {
    const { client, bucket, prefix } = this.options;
    const reports: RunReport[] = [];
    for (const { entityRef, entity } of entities) {
      let keyPrefix: string;
      try {
        keyPrefix = entityKeyPrefix(
          entityRef,
          entity.metadata.annotations,
          prefix,
        );
      } catch (error) {
        logger.warn(
          `Skipped the S3 backups of ${entityRef}: ${(error as Error).message}`,
          { entityRef },
        );
        continue;
      }
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
        reports.push({
          entityRef,
          type: 'backup',
          status: 'succeeded',
          startedAt: at,
          finishedAt: at,
          idempotencyKey: s3RunKey({
            entityRef,
            bucket,
            key: o.key,
            etag: o.etag,
            lastModified: o.modified,
          }),
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
