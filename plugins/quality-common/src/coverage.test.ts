import {
  matchesAnyGlob,
  parseCriticalPaths,
  summarizeCoverage,
} from './coverage';

const file = (filename: string, covered: number, total: number) => ({
  filename,
  lineHits: Object.fromEntries(
    Array.from({ length: total }, (_, i) => [
      String(i + 1),
      i < covered ? 1 : 0,
    ]),
  ),
  branchHits: {},
});

describe('critical paths', () => {
  it('reads globs separated by commas or new lines', () => {
    expect(parseCriticalPaths(' src/pay/**, src/auth/*.ts\nlib/x.ts ')).toEqual(
      ['src/pay/**', 'src/auth/*.ts', 'lib/x.ts'],
    );
    expect(parseCriticalPaths(undefined)).toEqual([]);
  });

  it('matches ** across directories and * within one', () => {
    expect(matchesAnyGlob('src/pay/a/b.ts', ['src/pay/**'])).toBe(true);
    expect(matchesAnyGlob('./src/pay/b.ts', ['src/**/b.ts'])).toBe(true);
    expect(matchesAnyGlob('src/b.ts', ['src/**/b.ts'])).toBe(true);
    expect(matchesAnyGlob('src/auth/x/y.ts', ['src/auth/*.ts'])).toBe(false);
    expect(matchesAnyGlob('src/auth.ts', ['src/auth?ts'])).toBe(true);
    expect(matchesAnyGlob('srcXpay/a.ts', ['src.pay/**'])).toBe(false);
  });
});

describe('summarizeCoverage', () => {
  it('lists the files below 80 %, lowest first, and the critical paths coverage', () => {
    const summary = summarizeCoverage(
      [
        file('src/pay/charge.ts', 9, 10),
        file('src/pay/refund.ts', 10, 10),
        file('src/util.ts', 5, 10),
        file('src/ok.ts', 8, 10),
      ],
      ['src/pay/**'],
    );
    expect(summary.filesBelowTarget.map(f => f.filename)).toEqual([
      'src/util.ts',
    ]);
    expect(summary.criticalPaths).toMatchObject({
      available: 20,
      covered: 19,
      missed: 1,
      percentage: 95,
    });
    expect(summary.criticalPaths!.files).toHaveLength(2);
  });

  it('has no critical paths figure without globs, and 0 % when no file matches', () => {
    expect(
      summarizeCoverage([file('a.ts', 1, 1)], []).criticalPaths,
    ).toBeUndefined();
    expect(
      summarizeCoverage([file('a.ts', 1, 1)], ['src/**']).criticalPaths,
    ).toMatchObject({ available: 0, percentage: 0 });
  });
});
