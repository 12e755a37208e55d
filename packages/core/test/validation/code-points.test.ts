import { describe, expect, it } from 'vitest';
import { codePointLength, exceedsCodePoints, hasLoneSurrogate, replaceLoneSurrogates, truncateCodePoints } from '../../src/spi.js';

// '𝔸' (U+1D538) and '😀' (U+1F600) are one character to MLflow (Python `len`) and two UTF-16 units here.
const A = '𝔸';
const SMILE = '😀';

describe('codePointLength', () => {
  it('counts a character outside the BMP once, as Python does', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength(SMILE)).toBe(1);
    expect(codePointLength(`a${A}b${SMILE}学`)).toBe(5);
    expect(codePointLength(SMILE.repeat(6000))).toBe(6000);
  });

  it('counts a lone surrogate as one character, at either end or in the middle', () => {
    expect(codePointLength('\ud83d')).toBe(1);
    expect(codePointLength('a\udc00b')).toBe(3);
    expect(codePointLength(`${SMILE}\ud83d`)).toBe(2);
    expect(codePointLength(`\ude00${SMILE}`)).toBe(2);
  });

  it('agrees with the string iterator on mixed text', () => {
    const text = `x${A.repeat(10)}\ud800y${SMILE.repeat(7)}\udfffz${'é'.repeat(5)}`;
    expect(codePointLength(text)).toBe([...text].length);
  });
});

describe('exceedsCodePoints', () => {
  it('is false at the limit and true one past it, for BMP, non-BMP and mixed values', () => {
    for (const [unit, limit] of [
      ['p', 6000],
      [SMILE, 6000],
      [A, 250],
      [SMILE, 8000],
    ] as const) {
      expect(exceedsCodePoints(unit.repeat(limit), limit), `${unit} x ${limit}`).toBe(false);
      expect(exceedsCodePoints(unit.repeat(limit + 1), limit), `${unit} x ${limit + 1}`).toBe(true);
      expect(exceedsCodePoints(unit.repeat(limit - 1), limit)).toBe(false);
    }
    expect(exceedsCodePoints(`ab${SMILE.repeat(248)}`, 250)).toBe(false);
    expect(exceedsCodePoints(`ab${SMILE.repeat(249)}`, 250)).toBe(true);
  });
});

describe('truncateCodePoints', () => {
  it('keeps the first N characters, counted in code points', () => {
    expect(truncateCodePoints(SMILE.repeat(6001), 6000)).toBe(SMILE.repeat(6000));
    expect(truncateCodePoints(`a${A.repeat(8000)}`, 8000)).toBe(`a${A.repeat(7999)}`);
    expect(truncateCodePoints('p'.repeat(6001), 6000)).toBe('p'.repeat(6000));
  });

  it('returns the same string when it is within the limit', () => {
    const value = SMILE.repeat(6000);
    expect(truncateCodePoints(value, 6000)).toBe(value);
    expect(truncateCodePoints('short', 6000)).toBe('short');
  });

  it('never leaves half of a surrogate pair at the cut', () => {
    // 'a' + 3000 emoji is 6001 code units: slice(0, 6000) would end in a lone high surrogate.
    const value = `a${SMILE.repeat(3000)}`;
    expect(hasLoneSurrogate(value.slice(0, 6000))).toBe(true);
    for (const limit of [1, 2, 3, 2999, 3000]) {
      const cut = truncateCodePoints(value, limit);
      expect(hasLoneSurrogate(cut)).toBe(false);
      expect(codePointLength(cut)).toBe(limit);
    }
    expect(truncateCodePoints(value, 3001)).toBe(value);
  });

  it('cuts to nothing at a limit of 0', () => {
    expect(truncateCodePoints(SMILE, 0)).toBe('');
  });
});

describe('hasLoneSurrogate', () => {
  it('finds a high or low surrogate without its partner anywhere in the text', () => {
    for (const text of ['\ud83d', '\ude00', `a\ud83d`, `\ude00a`, `${SMILE}\ud83d${SMILE}`, `${SMILE.slice(1)}${SMILE}`, '\ude00\ud83d']) {
      expect(hasLoneSurrogate(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('accepts well-formed text, pairs included', () => {
    for (const text of ['', 'plain', SMILE, A.repeat(100), `学习率 ${SMILE} é`]) {
      expect(hasLoneSurrogate(text), text).toBe(false);
    }
  });
});

describe('replaceLoneSurrogates', () => {
  it('replaces each lone surrogate with U+FFFD and keeps pairs', () => {
    expect(replaceLoneSurrogates(`a\ud83d${SMILE}\udc00`)).toBe(`a\uFFFD${SMILE}\uFFFD`);
    expect(replaceLoneSurrogates('fine')).toBe('fine');
  });
});
