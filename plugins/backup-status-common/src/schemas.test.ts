import {
  entityRunsQuerySchema,
  ingestBodySchema,
  MAX_CLOCK_SKEW_MS,
  overviewQuerySchema,
  runBatchSchema,
  runReportSchema,
} from './schemas';

const valid = {
  entityRef: 'component:default/postgres',
  type: 'backup',
  status: 'succeeded',
  startedAt: '2026-11-23T02:00:00Z',
  finishedAt: '2026-11-23T02:05:00Z',
  idempotencyKey: 'postgres-2026-11-23',
};

describe('runReportSchema', () => {
  it('accepts a minimal and a full report', () => {
    expect(runReportSchema.safeParse(valid).success).toBe(true);
    expect(
      runReportSchema.safeParse({
        ...valid,
        sizeBytes: 1024,
        location: 's3://backups/pg/2026-11-23.dump',
        checksum: 'sha256:abc',
        tool: 'pg_dump',
        message: 'ok',
        oldestKeptAt: '2026-10-24T02:05:00Z',
      }).success,
    ).toBe(true);
  });

  it.each([
    ['entityRef', { entityRef: undefined }],
    ['type', { type: 'snapshot' }],
    ['status', { status: 'ok' }],
    ['startedAt', { startedAt: 'yesterday' }],
    ['finishedAt', { finishedAt: '2026-11-23T01:00:00Z' }],
    ['idempotencyKey', { idempotencyKey: '' }],
    ['idempotencyKey', { idempotencyKey: 'has space' }],
    ['sizeBytes', { sizeBytes: -1 }],
    ['sizeBytes', { sizeBytes: '12' }],
    ['message', { message: 'x'.repeat(2001) }],
    ['(unknown key)', { extra: true }],
  ])('rejects a bad %s', (field, patch) => {
    const result = runReportSchema.safeParse({ ...valid, ...patch });
    const issue = result.success ? undefined : result.error.issues[0];
    expect(issue?.path.join('.') || '(unknown key)').toBe(field);
  });
});

describe('ingestBodySchema', () => {
  it('accepts a single report and a batch', () => {
    expect(ingestBodySchema.safeParse(valid).success).toBe(true);
    expect(ingestBodySchema.safeParse({ runs: [valid, valid] }).success).toBe(
      true,
    );
  });

  it('rejects an empty or too large batch', () => {
    expect(ingestBodySchema.safeParse({ runs: [] }).success).toBe(false);
    expect(
      ingestBodySchema.safeParse({ runs: Array(501).fill(valid) }).success,
    ).toBe(false);
  });
});

describe('timestamps of a run report', () => {
  it.each([
    ['UTC', '2026-11-23T02:00:00Z', true],
    ['with milliseconds', '2026-11-23T02:00:00.123Z', true],
    ['with an offset', '2026-11-23T03:00:00+01:00', true],
    ['without a zone', '2026-11-23T02:00:00', false],
    ['a date only', '2026-11-23', false],
    ['before 2000', '1999-12-31T23:00:00Z', false],
    ['far ahead', '2999-01-01T00:00:00Z', false],
  ])('%s: %s', (_name, startedAt, ok) => {
    const result = runReportSchema.safeParse({
      ...valid,
      startedAt,
      finishedAt: '2026-11-23T02:05:00Z',
    });
    expect(result.success).toBe(ok);
  });

  it('accepts a time up to five minutes ahead of receipt, and names one beyond', () => {
    const skew = 5 * 60 * 1000;
    const at = (aheadMs: number) =>
      new Date(Date.now() + aheadMs).toISOString();
    const start = at(-60_000);
    expect(
      runReportSchema.safeParse({
        ...valid,
        startedAt: start,
        finishedAt: at(skew - 10_000),
      }).success,
    ).toBe(true);
    for (const field of ['finishedAt', 'oldestKeptAt'] as const) {
      const ahead = runReportSchema.safeParse({
        ...valid,
        startedAt: start,
        finishedAt: at(0),
        [field]: at(skew + 60_000),
      });
      expect(ahead.success ? undefined : ahead.error.issues).toEqual([
        expect.objectContaining({
          path: [field],
          message:
            'must be after 2000-01-01 and not more than 5 minutes ahead of now',
        }),
      ]);
    }
    expect(MAX_CLOCK_SKEW_MS).toBe(skew);
  });

  it('names finishedAt when it is before startedAt', () => {
    const result = runReportSchema.safeParse({
      ...valid,
      finishedAt: '2026-11-23T01:59:59Z',
    });
    expect(result.success ? undefined : result.error.issues).toEqual([
      expect.objectContaining({
        path: ['finishedAt'],
        message: 'must not be before startedAt',
      }),
    ]);
  });

  it('names an unknown key', () => {
    const result = runReportSchema.safeParse({ ...valid, password: 'x' });
    expect(result.success ? undefined : result.error.issues).toEqual([
      expect.objectContaining({
        code: 'unrecognized_keys',
        keys: ['password'],
        path: [],
      }),
    ]);
  });
});

describe('runBatchSchema', () => {
  it('names the run and field of a bad run', () => {
    const result = runBatchSchema.safeParse({
      runs: [valid, { ...valid, status: 'ok' }],
    });
    expect(result.success ? undefined : result.error.issues[0].path).toEqual([
      'runs',
      1,
      'status',
    ]);
  });

  it('rejects keys next to runs', () => {
    expect(runBatchSchema.safeParse({ runs: [valid], x: 1 }).success).toBe(
      false,
    );
  });
});

describe('query schemas', () => {
  it('fills in the overview defaults and coerces numbers from the query string', () => {
    expect(overviewQuerySchema.parse({})).toEqual({ limit: 100, offset: 0 });
    expect(
      overviewQuerySchema.parse({
        status: 'critical',
        limit: '5',
        offset: '10',
        q: 'chat',
      }),
    ).toEqual({ status: 'critical', limit: 5, offset: 10, q: 'chat' });
  });

  it.each([
    ['status', { status: 'great' }],
    ['limit', { limit: '0' }],
    ['limit', { limit: '1001' }],
    ['limit', { limit: 'ten' }],
    ['offset', { offset: '-1' }],
    ['offset', { offset: '1.5' }],
    ['(unknown key)', { colour: 'red' }],
  ])('rejects a bad overview %s', (field, query) => {
    const result = overviewQuerySchema.safeParse(query);
    const issue = result.success ? undefined : result.error.issues[0];
    expect(issue?.path.join('.') || '(unknown key)').toBe(field);
  });

  it('pages entity runs: defaults, bounds', () => {
    expect(entityRunsQuerySchema.parse({})).toEqual({ limit: 50, offset: 0 });
    expect(entityRunsQuerySchema.parse({ limit: '500' }).limit).toBe(500);
    expect(entityRunsQuerySchema.safeParse({ limit: '501' }).success).toBe(
      false,
    );
    expect(entityRunsQuerySchema.safeParse({ page: '2' }).success).toBe(false);
  });
});
