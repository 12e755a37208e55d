import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/format/text.js';

describe('formatText', () => {
  it('cuts long values to max characters by code point, never inside an emoji', () => {
    const value = `${'a'.repeat(58)}${'😀'.repeat(5)}`;
    const cut = formatText(value, 60);
    expect(cut).toBe(`${'a'.repeat(58)}😀…`);
    expect(/\p{Cs}/u.test(cut)).toBe(false);
  });

  it('keeps a value of exactly max characters whole, even when it is longer in UTF-16 units', () => {
    expect(formatText('😀'.repeat(60), 60)).toBe('😀'.repeat(60));
    expect(formatText(undefined)).toBe('-');
  });
});
