import { httpSource } from './router';

describe('httpSource', () => {
  it('is http:<subject>, within 255 characters and distinct for long subjects', () => {
    expect(httpSource('ci-chat')).toBe('http:ci-chat');
    const a = httpSource(`${'x'.repeat(300)}a`);
    const b = httpSource(`${'x'.repeat(300)}b`);
    expect(a.length).toBeLessThanOrEqual(255);
    expect(a).not.toBe(b);
  });
});
