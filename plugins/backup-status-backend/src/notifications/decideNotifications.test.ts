import { BackupOverviewItem } from '@platform-portal/backstage-plugin-backup-status-common';
import { decideNotifications } from './decideNotifications';

function item(
  status: BackupOverviewItem['backup']['status'],
  overrides: Partial<BackupOverviewItem['backup']> = {},
): BackupOverviewItem {
  return {
    entityRef: 'resource:default/chat-db',
    title: 'chat-db',
    owner: 'group:default/team-chat',
    policyName: 'postgres-daily',
    backup: {
      status,
      reasons:
        status === 'critical'
          ? [
              {
                code: 'rpo_breached',
                severity: 'critical',
                message: 'Last good backup is 30 h old (RPO 24 h).',
              },
            ]
          : [],
      series: [],
      demo: false,
      ...overrides,
    },
  };
}

describe('decideNotifications', () => {
  it('notifies when an entity crosses into critical, with the critical reasons', () => {
    expect(
      decideNotifications(
        [item('critical')],
        new Map([['resource:default/chat-db', 'warning']]),
      ),
    ).toEqual([
      {
        entityRef: 'resource:default/chat-db',
        owner: 'group:default/team-chat',
        kind: 'critical',
        title: 'Backups of chat-db are critical',
        description: 'Last good backup is 30 h old (RPO 24 h).',
      },
    ]);
  });

  it('notifies a critical entity seen for the first time', () => {
    expect(decideNotifications([item('critical')], new Map())).toHaveLength(1);
  });

  it('stays quiet while it stays critical, and for warnings', () => {
    const critical = new Map([['resource:default/chat-db', 'critical']]);
    expect(decideNotifications([item('critical')], critical)).toEqual([]);
    expect(decideNotifications([item('warning')], new Map())).toEqual([]);
    // unknown (no data) is no recovery
    expect(decideNotifications([item('unknown')], critical)).toEqual([]);
  });

  it('tells when critical becomes warning, naming what is still late', () => {
    const critical = new Map([['resource:default/chat-db', 'critical']]);
    const warning = item('warning', {
      reasons: [
        {
          code: 'missing_days',
          severity: 'warning',
          message: '2 days missing.',
        },
      ],
    });
    expect(decideNotifications([warning], critical)).toEqual([
      expect.objectContaining({
        kind: 'recovered',
        title: 'Backups of chat-db are no longer critical',
        description: 'Still to look at: 2 days missing.',
      }),
    ]);
  });

  it('notifies recovery once, when critical becomes ok', () => {
    const critical = new Map([['resource:default/chat-db', 'critical']]);
    expect(decideNotifications([item('ok')], critical)).toEqual([
      expect.objectContaining({ kind: 'recovered' }),
    ]);
    expect(
      decideNotifications(
        [item('ok')],
        new Map([['resource:default/chat-db', 'ok']]),
      ),
    ).toEqual([]);
  });

  it('never notifies for demo data', () => {
    expect(
      decideNotifications([item('critical', { demo: true })], new Map()),
    ).toEqual([]);
  });
});
