import { ReadinessOverviewItem } from '@platform-portal/backstage-plugin-readiness-common';
import { buildMatrix, pageEntities } from './overviewViews';

const item = (
  name: string,
  fields: Partial<ReadinessOverviewItem> = {},
): ReadinessOverviewItem => ({
  entityRef: `component:default/${name}`,
  level: null,
  failing: [],
  ...fields,
});

const items = [
  item('a', {
    system: 'chat',
    owner: 'group:default/chat-team',
    level: 'gold',
  }),
  item('b', { system: 'chat', title: 'Billing', level: 'bronze' }),
  item('c', { owner: 'group:default/chat-team' }),
  item('d', { system: 'quotes', level: 'gold' }),
];

describe('pageEntities', () => {
  it('pages the matches in order and counts them all', () => {
    const refs = (q: Parameters<typeof pageEntities>[1]) =>
      pageEntities(items, q).items.map(i => i.entityRef.split('/')[1]);
    expect(pageEntities(items, { limit: 2, offset: 1 })).toEqual({
      items: [items[1], items[2]],
      totalItems: 4,
    });
    expect(pageEntities(items, { limit: 2, offset: 10 })).toEqual({
      items: [],
      totalItems: 4,
    });
    expect(refs({ limit: 10, offset: 0, system: 'chat' })).toEqual(['a', 'b']);
    // an empty system or owner: the entities without one
    expect(refs({ limit: 10, offset: 0, system: '' })).toEqual(['c']);
    expect(refs({ limit: 10, offset: 0, level: 'none' })).toEqual(['c']);
    expect(
      refs({
        limit: 10,
        offset: 0,
        owner: 'group:default/chat-team',
        level: 'gold',
      }),
    ).toEqual(['a']);
  });

  it('finds a term in the ref, the title, the system or the owner, in any case', () => {
    const refs = (q: string) =>
      pageEntities(items, { q, limit: 10, offset: 0 }).items.map(
        i => i.entityRef.split('/')[1],
      );
    expect(refs('BILL')).toEqual(['b']);
    expect(refs('quotes')).toEqual(['d']);
    expect(refs('chat-team')).toEqual(['a', 'c']);
    expect(refs('component:default/c')).toEqual(['c']);
    // the text of one item does not run into the next field's
    expect(refs('chatgroup')).toEqual([]);
  });
});

describe('buildMatrix', () => {
  it('counts per level for each system, by name, the entities without one last', () => {
    expect(buildMatrix(items, 'system')).toEqual([
      { key: 'chat', counts: { gold: 1, bronze: 1 }, total: 2 },
      { key: 'quotes', counts: { gold: 1 }, total: 1 },
      { key: '', counts: { none: 1 }, total: 1 },
    ]);
  });
});
