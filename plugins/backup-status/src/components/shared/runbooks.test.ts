import { runbooksFor } from './format';

describe('runbooksFor', () => {
  it('always offers the restore runbook', () => {
    expect(runbooksFor('ok', []).map(l => l.title)).toEqual([
      'Restore runbook',
    ]);
  });

  it('adds the restore-test runbook for restore test reasons and DR when critical', () => {
    expect(
      runbooksFor('critical', ['rpo_breached', 'restore_test_failed']),
    ).toEqual([
      expect.objectContaining({ title: 'Restore runbook' }),
      {
        title: 'Restore test and drill runbook',
        url: '/docs/default/system/platform-portal/runbooks/restore-tests/',
      },
      {
        title: 'Disaster recovery runbook',
        url: '/docs/default/system/platform-portal/runbooks/disaster-recovery/',
      },
    ]);
  });
});
