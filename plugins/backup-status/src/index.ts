/**
 * Backup status frontend plugin: the "Backups" entity tab and the
 * `/platform/backups` page. The new frontend system plugin is the default
 * export of `./alpha`.
 *
 * @packageDocumentation
 */

export {
  backupStatusPlugin,
  EntityBackupsContent,
  BackupStatusPage,
} from './plugin';
export { isBackupStatusAvailable } from './isBackupStatusAvailable';
export { backupStatusApiRef } from './api/BackupStatusApi';
export type { BackupStatusApi, OverviewRequest } from './api/BackupStatusApi';
export { BackupStatusClient } from './api/BackupStatusClient';
