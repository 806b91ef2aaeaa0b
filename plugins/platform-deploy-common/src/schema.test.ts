/* eslint-disable no-script-url */ // javascript: URLs are the attack corpus here, as data
import { z } from 'zod/v3';
import {
  deploymentEventInputSchema,
  deploymentEventBatchSchema,
  isHttpUrl,
  MAX_CLOCK_SKEW_MS,
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

  it.each(
    [
      'javascript:alert(document.cookie)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'vbscript:msgbox(1)',
      'ftp://example.com/run',
      '//example.com/run',
      '/runs/1',
      `https://example.com/${'a'.repeat(2048)}`,
    ].map(url => [url.length > 60 ? `of ${url.length} characters` : url, url]),
  )('refuses the run URL %s, naming runUrl', (_, runUrl) => {
    const result = deploymentEventInputSchema.safeParse({ ...valid, runUrl });
    expect(namedFields(result)).toEqual(['runUrl']);
  });

  it('accepts a time up to five minutes ahead, and names one beyond', () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    expect(MAX_CLOCK_SKEW_MS).toBe(5 * 60 * 1000);
    expect(
      deploymentEventInputSchema.safeParse({
        ...valid,
        finishedAt: at(MAX_CLOCK_SKEW_MS - 10_000),
      }).success,
    ).toBe(true);
    const ahead = deploymentEventInputSchema.safeParse({
      ...valid,
      finishedAt: at(MAX_CLOCK_SKEW_MS + 10_000),
    });
    expect(namedFields(ahead)).toEqual(['finishedAt']);
    expect(ahead.success || ahead.error.issues[0].message).toBe(
      'must be after 2000-01-01 and not more than 5 minutes ahead of now',
    );
  });

  it('names the index of a bad event in a batch', () => {
    const result = deploymentEventBatchSchema.safeParse({
      events: [valid, { ...valid, environment: undefined }],
    });
    expect(result.success).toBe(false);
    expect(namedFields(result)).toEqual(['events.1.environment']);
  });
});

describe('isHttpUrl', () => {
  it.each([
    ['https://github.com/o/r/actions/runs/1', true],
    ['http://ci.internal:8080/job/1', true],
    ['HTTPS://EXAMPLE.COM/', true],
    ['javascript:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['data:text/html,x', false],
    ['mailto:a@example.com', false],
    ['/relative', false],
    ['', false],
    [undefined, false],
    [42, false],
  ])('%j is %s', (value, expected) => {
    expect(isHttpUrl(value)).toBe(expected);
  });
});
