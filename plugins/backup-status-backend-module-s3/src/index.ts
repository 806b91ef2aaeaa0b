/**
 * S3 backup source for the backup-status plugin.
 *
 * @packageDocumentation
 */

export { backupStatusModuleS3 as default } from './module';
export {
  S3BackupSource,
  S3_PREFIX_ANNOTATION,
  s3RunKey,
} from './S3BackupSource';
