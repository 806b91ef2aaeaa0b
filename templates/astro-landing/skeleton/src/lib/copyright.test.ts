import { describe, expect, it } from 'vitest';
import { copyright } from './copyright';

describe('copyright', () => {
  it('shows one year in the first year', () => {
    expect(copyright('Mana', 2026, 2026)).toBe('© 2026 Mana');
  });

  it('shows a range afterwards', () => {
    expect(copyright('Mana', 2024, 2026)).toBe('© 2024–2026 Mana');
  });
});
