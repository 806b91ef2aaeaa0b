import { ProbeHealth } from '../types';
import { nextHealth } from './health';

/** The health after each probe of a sequence, from `unknown`. */
function healthAfter(probes: boolean[], downAfterFailures: number) {
  let state: ProbeHealth = { health: 'unknown', consecutiveFailures: 0 };
  return probes.map(ok => {
    state = nextHealth(state, { ok }, downAfterFailures);
    return state.health;
  });
}

describe('nextHealth', () => {
  it('is up after one good probe and down after two failures in a row', () => {
    expect(healthAfter([true, false, false, true], 2)).toEqual([
      'up',
      'up',
      'down',
      'up',
    ]);
  });

  it('keeps an unknown service unknown until the threshold', () => {
    expect(healthAfter([false, false, false], 3)).toEqual([
      'unknown',
      'unknown',
      'down',
    ]);
  });

  it('starts counting again after a good probe', () => {
    expect(healthAfter([false, true, false, true, false, false], 2)).toEqual([
      'unknown',
      'up',
      'up',
      'up',
      'up',
      'down',
    ]);
  });

  it('counts the failures in a row', () => {
    expect(
      nextHealth({ health: 'down', consecutiveFailures: 4 }, { ok: false }, 2),
    ).toEqual({ health: 'down', consecutiveFailures: 5 });
    expect(
      nextHealth({ health: 'down', consecutiveFailures: 4 }, { ok: true }, 2),
    ).toEqual({ health: 'up', consecutiveFailures: 0 });
  });
});
