import { describe, expect, it } from 'vitest';
import { matchesLike } from '../../src/spi.js';

describe('matchesLike', () => {
  it('treats % and _ as wildcards and everything else literally', () => {
    expect(matchesLike('a.b(c)', 'a.b(c)')).toBe(true);
    expect(matchesLike('axb(c)', 'a.b(c)')).toBe(false);
    expect(matchesLike('anomaly/run-1', 'anomaly/%')).toBe(true);
    expect(matchesLike('ab', 'a_')).toBe(true);
    expect(matchesLike('abc', 'a_')).toBe(false);
    expect(matchesLike('line1\nline2', 'line1%')).toBe(true);
  });

  it('is case-sensitive unless asked otherwise (ILIKE)', () => {
    expect(matchesLike('Vision', 'vision')).toBe(false);
    expect(matchesLike('Vision', 'vision', true)).toBe(true);
  });
});
