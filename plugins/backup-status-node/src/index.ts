/**
 * Extension points for modules of the backup-status backend plugin.
 *
 * @packageDocumentation
 */

export type {
  BackupSource,
  BackupSourceEntity,
  BackupSourceScanOptions,
  BackupStatusSourcesExtensionPoint,
} from './extensions';
export { backupStatusSourcesExtensionPoint } from './extensions';
export { createBackupSourceModule } from './createBackupSourceModule';
export type { BackupSourceModuleOptions } from './createBackupSourceModule';
