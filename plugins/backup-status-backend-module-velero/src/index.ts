/**
 * Velero backup source for the backup-status plugin.
 *
 * @packageDocumentation
 */
export { backupStatusModuleVelero as default } from './module';
export {
  VeleroBackupSource,
  VELERO_SCHEDULE_ANNOTATION,
  backupsToRuns,
  veleroRunKey,
} from './VeleroBackupSource';
export type { VeleroBackup, ListBackups } from './VeleroBackupSource';
