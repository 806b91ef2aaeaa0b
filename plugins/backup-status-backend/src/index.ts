export { backupStatusPlugin as default } from './plugin';
