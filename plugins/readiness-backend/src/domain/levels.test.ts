import { ReadinessCheckResult } from '@platform-portal/backstage-plugin-readiness-common';
import { computeLevel, levelRank } from './interpret';

const levels = [
  { id: 'bronze', title: 'Bronze' },
  { id: 'silver', title: 'Silver' },
  { id: 'gold', title: 'Gold' },
];
const r = (level: string, result: ReadinessCheckResult['result']) =>
  ({ id: `${level}-${result}`, level, result } as ReadinessCheckResult);

describe('computeLevel', () => {
  it.each([
    [
      'every check passes',
      [r('bronze', 'pass'), r('silver', 'pass'), r('gold', 'pass')],
      'gold',
    ],
    [
      'not applicable counts as passing',
      [
        r('bronze', 'not-applicable'),
        r('silver', 'pass'),
        r('gold', 'not-applicable'),
      ],
      'gold',
    ],
    [
      'a gold check fails',
      [r('bronze', 'pass'), r('silver', 'pass'), r('gold', 'fail')],
      'silver',
    ],
    [
      'no data is not passing',
      [r('bronze', 'pass'), r('silver', 'no-data'), r('gold', 'pass')],
      'bronze',
    ],
    [
      'a lower level is not skipped',
      [r('bronze', 'fail'), r('silver', 'pass'), r('gold', 'pass')],
      null,
    ],
  ])('%s', (_label, results, expected) => {
    expect(computeLevel(levels, results as ReadinessCheckResult[])).toBe(
      expected,
    );
  });

  it('ranks no level below the lowest', () => {
    expect(levelRank(levels, null)).toBe(-1);
    expect(levelRank(levels, 'bronze')).toBe(0);
    expect(levelRank(levels, 'gold')).toBe(2);
  });
});
