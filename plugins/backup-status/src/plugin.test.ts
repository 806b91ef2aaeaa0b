import { backupStatusPlugin } from './plugin';

describe('backup-status', () => {
  it('should export plugin', () => {
    expect(backupStatusPlugin).toBeDefined();
  });
});
