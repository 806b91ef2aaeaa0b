import { overviewCsv } from './router';

describe('overviewCsv', () => {
  it('writes one line per entity, failing checks joined with ;, quoting what needs it and defusing formulas', () => {
    const csv = overviewCsv({
      levels: [{ id: 'bronze', title: 'Bronze' }],
      distribution: { none: 1, bronze: 2 },
      topFailing: [],
      evaluatedAt: '2026-12-01T00:00:00.000Z',
      items: [
        {
          entityRef: 'component:default/chat-backend',
          title: 'Chat, backend',
          system: 'chat',
          owner: 'group:default/chat-team',
          level: 'bronze',
          failing: ['docs-techdocs', 'deploy-frequency'],
        },
        {
          entityRef: 'component:default/evil',
          title: '=HYPERLINK("http://x","y")',
          level: null,
          failing: [],
        },
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'entityRef,title,system,owner,level,failing',
      'component:default/chat-backend,"Chat, backend",chat,group:default/chat-team,bronze,docs-techdocs;deploy-frequency',
      `component:default/evil,"'=HYPERLINK(""http://x"",""y"")",,,,`,
      '',
    ]);
  });
});
