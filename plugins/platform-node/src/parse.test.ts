import { z } from 'zod/v3';
import { z as z4 } from 'zod';
import { describeIssues, formatIssuePath, parseOrThrow } from './parse';

const event = z
  .object({
    environment: z.string(),
    version: z.string().regex(/^\w+$/, 'must be an image tag'),
  })
  .strict();
const batch = z.object({ events: z.array(event) }).strict();

describe('parseOrThrow', () => {
  it('returns the parsed value', () => {
    expect(
      parseOrThrow(batch, { events: [{ environment: 'a', version: 'v1' }] }),
    ).toEqual({ events: [{ environment: 'a', version: 'v1' }] });
  });

  it('names every bad field by its JavaScript path, in an InputError', () => {
    expect(() =>
      parseOrThrow(batch, { events: [{ environment: 'a', version: 'v 1' }] }),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: 'events[0].version: must be an image tag',
      }),
    );
  });

  it('reads zod v4 errors the same way', () => {
    const schema = z4.object({
      runs: z4.array(z4.object({ size: z4.number() })),
    });
    expect(() => parseOrThrow(schema, { runs: [{ size: 'big' }] })).toThrow(
      /^runs\[0\]\.size: /,
    );
  });

  it('lists unknown keys and reports a problem with no path against the body', () => {
    expect(() =>
      parseOrThrow(event, { environment: 'a', version: 'v', colour: 'x' }),
    ).toThrow(/^body: .*\(colour\)$/);
  });

  it('puts a prefix in front of every path', () => {
    expect(() =>
      parseOrThrow(
        event,
        { environment: 1, version: 'v' },
        { prefix: 'events[3]' },
      ),
    ).toThrow(/^events\[3\]\.environment: /);
  });
});

describe('formatIssuePath and describeIssues', () => {
  it('writes indexes in brackets and keys after dots', () => {
    expect(formatIssuePath(['events', 2, 'labels', 'a'])).toBe(
      'events[2].labels.a',
    );
    expect(formatIssuePath([0, 'x'])).toBe('[0].x');
  });

  it('shows at most five problems and counts the rest', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({
      path: ['runs', i],
      message: 'bad',
    }));
    const text = describeIssues(issues);
    expect(text.split('; ')).toHaveLength(6);
    expect(text).toMatch(/and 2 more$/);
  });
});
