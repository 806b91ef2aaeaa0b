import { BackupOverviewItem } from '@platform-portal/backstage-plugin-backup-status-common';
import {
  decideNotifications,
  nextNotificationStates,
} from './decideNotifications';

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

/** Runs the statuses through passes as the task does; the kinds sent per pass. */
function passes(statuses: BackupOverviewItem['backup']['status'][]) {
  let states = new Map<string, string>();
  return statuses.map(status => {
    const items = [item(status)];
    const kinds = decideNotifications(items, states).map(n => n.kind);
    states = new Map(
      nextNotificationStates(items, states).map(s => [s.entityRef, s.status]),
    );
    return kinds.join(',') || '-';
  });
}

describe('notification passes over time', () => {
  it.each<[string, BackupOverviewItem['backup']['status'][], string[]]>([
    ['critical, ok', ['critical', 'ok'], ['critical', 'recovered']],
    [
      'critical, unknown, ok: the recovery is told',
      ['critical', 'unknown', 'ok'],
      ['critical', '-', 'recovered'],
    ],
    [
      'critical, unknown, warning',
      ['critical', 'unknown', 'unknown', 'warning'],
      ['critical', '-', '-', 'recovered'],
    ],
    [
      'critical, unknown, critical: the same incident',
      ['critical', 'unknown', 'critical'],
      ['critical', '-', '-'],
    ],
    ['unknown, ok: nothing to recover from', ['unknown', 'ok'], ['-', '-']],
    [
      'ok, unknown, critical: a new incident',
      ['ok', 'unknown', 'critical'],
      ['-', '-', 'critical'],
    ],
    [
      'two incidents',
      ['critical', 'ok', 'warning', 'critical', 'ok'],
      ['critical', 'recovered', '-', 'critical', 'recovered'],
    ],
  ])('%s', (_name, statuses, expected) => {
    expect(passes(statuses)).toEqual(expected);
  });

  it('does not remember entities fed only by demo data', () => {
    expect(
      nextNotificationStates([item('critical', { demo: true })], new Map()),
    ).toEqual([]);
  });
});
