export { BackupOverview } from './BackupOverview';
