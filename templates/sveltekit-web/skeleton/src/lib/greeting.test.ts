import { describe, expect, it } from 'vitest';
import { greeting } from './greeting';

describe('greeting', () => {
  it('names the app', () => {
    expect(greeting('Quote Web')).toBe('Welcome to Quote Web!');
  });

  it('trims the name', () => {
    expect(greeting('  Quote Web ')).toBe('Welcome to Quote Web!');
  });

  it('falls back without a name', () => {
    expect(greeting()).toBe('Welcome!');
    expect(greeting('   ')).toBe('Welcome!');
  });
});
