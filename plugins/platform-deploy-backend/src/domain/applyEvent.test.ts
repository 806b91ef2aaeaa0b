import { StateRecord } from '../types';
import { applyEvent, AppliedEvent } from './applyEvent';

const at = (iso: string) => new Date(iso);

function event(overrides: Partial<AppliedEvent>): AppliedEvent {
  return {
    version: 'main-aaa1111',
    status: 'succeeded',
    eventAt: at('2026-11-20T10:00:00Z'),
    ...overrides,
  };
}

describe('applyEvent', () => {
  it('makes the first succeeded version live', () => {
    const state = applyEvent(
      undefined,
      event({ color: 'blue', actor: 'alice', runUrl: 'https://ci/1' }),
    );
    expect(state).toMatchObject({
      version: 'main-aaa1111',
      liveColor: 'blue',
      lastStatus: 'succeeded',
      deployedBy: 'alice',
      runUrl: 'https://ci/1',
    });
    expect(state.previousVersion).toBeUndefined();
  });

  it('keeps the version live before as the rollback target', () => {
    const first = applyEvent(undefined, event({ color: 'blue' }));
    const second = applyEvent(
      first,
      event({
        version: 'main-bbb2222',
        color: 'green',
        eventAt: at('2026-11-21T10:00:00Z'),
      }),
    );
    expect(second).toMatchObject({
      version: 'main-bbb2222',
      previousVersion: 'main-aaa1111',
      liveColor: 'green',
    });
  });

  it('does not move the previous version on a redeploy of the same version', () => {
    const first = applyEvent(undefined, event({}));
    const second = applyEvent(
      first,
      event({ version: 'main-bbb2222', eventAt: at('2026-11-21T10:00:00Z') }),
    );
    const redeploy = applyEvent(
      second,
      event({ version: 'main-bbb2222', eventAt: at('2026-11-22T10:00:00Z') }),
    );
    expect(redeploy.previousVersion).toBe('main-aaa1111');
  });

  it.each(['started', 'failed', 'rolled_back'] as const)(
    'keeps the live version on %s',
    status => {
      const live = applyEvent(undefined, event({ color: 'blue' }));
      const next = applyEvent(
        live,
        event({
          version: 'main-ccc3333',
          status,
          color: 'green',
          eventAt: at('2026-11-21T10:00:00Z'),
        }),
      );
      expect(next).toMatchObject({
        version: 'main-aaa1111',
        liveColor: 'blue',
        lastStatus: status,
        lastVersion: 'main-ccc3333',
      });
    },
  );

  it('ignores an event older than the state (backfill)', () => {
    const live: StateRecord = applyEvent(
      undefined,
      event({ eventAt: at('2026-11-21T10:00:00Z') }),
    );
    const next = applyEvent(
      live,
      event({ version: 'main-old0000', eventAt: at('2026-11-01T10:00:00Z') }),
    );
    expect(next).toBe(live);
  });
});
