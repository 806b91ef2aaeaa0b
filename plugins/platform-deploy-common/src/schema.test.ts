import {
  deploymentEventInputSchema,
  deploymentEventBatchSchema,
  describeZodError,
} from './schema';

const valid = {
  entityRef: 'component:default/chat-backend',
  environment: 'production',
  version: 'main-abc1234',
  status: 'succeeded',
  idempotencyKey: 'run-123-attempt-1',
};

describe('deploymentEventInputSchema', () => {
  it('accepts a minimal and a full event', () => {
    expect(deploymentEventInputSchema.safeParse(valid).success).toBe(true);
    expect(
      deploymentEventInputSchema.safeParse({
        ...valid,
        commitSha: 'abc1234def',
        commitTimestamp: '2026-11-20T10:00:00Z',
        color: 'green',
        startedAt: '2026-11-20T10:05:00Z',
        finishedAt: '2026-11-20T10:09:00Z',
        runUrl: 'https://github.com/o/r/actions/runs/1',
        actor: 'alice',
      }).success,
    ).toBe(true);
  });

  it.each([
    [{ ...valid, status: 'done' }, 'status'],
    [{ ...valid, version: 'has space' }, 'version'],
    [{ ...valid, color: 'red' }, 'color'],
    [{ ...valid, startedAt: 'yesterday' }, 'startedAt'],
    [{ ...valid, extra: 1 }, 'extra'],
    [{ ...valid, idempotencyKey: undefined }, 'idempotencyKey'],
    [{ ...valid, environment: 42 }, 'environment'],
    [
      {
        ...valid,
        startedAt: '2026-11-20T10:05:00Z',
        finishedAt: '2026-11-20T10:00:00Z',
      },
      'finishedAt',
    ],
  ])('rejects %j naming %s', (input, field) => {
    const result = deploymentEventInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(describeZodError((result as any).error)).toContain(field);
  });

  it('names the index of a bad event in a batch', () => {
    const result = deploymentEventBatchSchema.safeParse({
      events: [valid, { ...valid, environment: undefined }],
    });
    expect(result.success).toBe(false);
    expect(describeZodError((result as any).error)).toMatch(
      /^events\[1\]\.environment/,
    );
  });
});
