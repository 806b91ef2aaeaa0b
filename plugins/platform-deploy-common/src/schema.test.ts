import { z } from 'zod/v3';
import {
  deploymentEventInputSchema,
  deploymentEventBatchSchema,
} from './schema';

/**
 * The fields a failed parse names: each issue's path, and the keys of an
 * unknown-keys issue. (APIs turn these into messages with the backend kit's
 * `parseOrThrow`: `events[1].environment: Required`.)
 */
function namedFields(result: z.SafeParseReturnType<unknown, unknown>) {
  if (result.success) return [];
  return result.error.issues.flatMap(issue => [
    issue.path.join('.'),
    ...(issue.code === 'unrecognized_keys' ? issue.keys : []),
  ]);
}

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
    expect(namedFields(result)).toContain(field);
  });

  it('names the index of a bad event in a batch', () => {
    const result = deploymentEventBatchSchema.safeParse({
      events: [valid, { ...valid, environment: undefined }],
    });
    expect(result.success).toBe(false);
    expect(namedFields(result)).toEqual(['events.1.environment']);
  });
});
