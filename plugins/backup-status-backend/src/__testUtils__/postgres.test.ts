import { POSTGRES_ENV, postgresForTest } from './postgres';

describe('postgresForTest', () => {
  const url = 'postgresql://postgres@127.0.0.1:5432/postgres';

  it.each([
    ['runs with PostgreSQL', { [POSTGRES_ENV]: url }],
    ['runs with PostgreSQL under CI', { [POSTGRES_ENV]: url, CI: 'true' }],
  ])('%s', (_name, env) => {
    expect(postgresForTest(env, 'suite')).toEqual({
      run: true,
      connectionString: url,
    });
  });

  it('skips without PostgreSQL outside CI, saying why and how', () => {
    const result = postgresForTest({}, 'suite');
    expect(result.run).toBe(false);
    expect(!result.run && result.reason).toMatch(
      new RegExp(`PostgreSQL is not configured: set ${POSTGRES_ENV}`),
    );
  });

  it('fails without PostgreSQL under CI, naming what is missing', () => {
    expect(() => postgresForTest({ CI: 'true' }, 'backup scripts')).toThrow(
      new RegExp(
        `^backup scripts needs PostgreSQL and CI is set: set ${POSTGRES_ENV}`,
      ),
    );
  });
});
