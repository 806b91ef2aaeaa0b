import { ingestBodySchema, runReportSchema } from './schemas';

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
