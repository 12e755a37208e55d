import { describe, expect, it } from 'vitest';
import type { LogbookError } from '../../src/index.js';
import { LIMITS, checkLength, checkStringValue, clampMetricValue, validateMetricValue, validateStep, validateTimestamp } from '../../src/spi.js';

const SMILE = '😀';
const A = '𝔸';

function rejection(fn: () => unknown): LogbookError {
  try {
    fn();
  } catch (e) {
    return e as LogbookError;
  }
  throw new Error('expected a rejection');
}

describe('checkStringValue', () => {
  it('truncates long params to 6000 and tags to 8000 under the truncate policy (MLflow server default)', () => {
    expect(checkStringValue('param', 'p', 'x'.repeat(7000), 'truncate')).toHaveLength(LIMITS.maxParamValueLength);
    expect(checkStringValue('tag', 't', 'x'.repeat(9000), 'truncate')).toHaveLength(LIMITS.maxTagValueLength);
  });

  it('rejects long values under the reject policy, naming the key and the limit', () => {
    expect(() => checkStringValue('param', 'lr', 'x'.repeat(6001), 'reject', 'params[2].value')).toThrow(/"lr" is 6001 characters long; the limit is 6000 characters \(params\[2\]\.value\)/);
  });

  it('keeps values at the limit unchanged', () => {
    const v = 'y'.repeat(6000);
    expect(checkStringValue('param', 'p', v, 'reject')).toBe(v);
  });

  it('rejects non-strings', () => {
    expect(() => checkStringValue('tag', 't', 3, 'truncate')).toThrow(/must be a string/);
  });

  it('counts characters outside the BMP once: 6000 emoji are a valid param, 8000 a valid tag', () => {
    for (const policy of ['truncate', 'reject'] as const) {
      expect(checkStringValue('param', 'p', SMILE.repeat(6000), policy)).toBe(SMILE.repeat(6000));
      expect(checkStringValue('tag', 't', A.repeat(8000), policy)).toBe(A.repeat(8000));
      expect(checkStringValue('param', 'p', `x${SMILE.repeat(5999)}`, policy)).toBe(`x${SMILE.repeat(5999)}`);
    }
  });

  it('truncates past the limit to N characters without cutting a surrogate pair', () => {
    expect(checkStringValue('param', 'p', SMILE.repeat(6001), 'truncate')).toBe(SMILE.repeat(6000));
    expect(checkStringValue('tag', 't', `a${A.repeat(8000)}`, 'truncate')).toBe(`a${A.repeat(7999)}`);
    // Under the old UTF-16 cut this kept 3000 emoji and a lone surrogate.
    expect(checkStringValue('param', 'p', `a${SMILE.repeat(6000)}`, 'truncate')).toBe(`a${SMILE.repeat(5999)}`);
  });

  it('rejects one character past the limit under reject, counting in characters', () => {
    const e = rejection(() => checkStringValue('tag', 'note', SMILE.repeat(8001), 'reject', 'tags[0].value'));
    expect(e.code).toBe('INVALID_PARAMETER_VALUE');
    expect(e.field).toBe('tags[0].value');
    expect(e.message).toContain('is 8001 characters long; the limit is 8000 characters (tags[0].value)');
  });

  it('rejects a value holding a lone surrogate under either policy, naming the field', () => {
    for (const policy of ['truncate', 'reject'] as const) {
      for (const value of ['x\ud83d', '\ude00', `${SMILE}\ud83d`, `a${SMILE.repeat(3000)}`.slice(0, 6000)]) {
        const e = rejection(() => checkStringValue('param', 'lr', value, policy, 'params[1].value'));
        expect(e.code).toBe('INVALID_PARAMETER_VALUE');
        expect(e.field).toBe('params[1].value');
        expect(e.message).toMatch(/^\[core\] Value of param "lr" contains a lone UTF-16 surrogate.*\(params\[1\]\.value\)/);
      }
    }
  });
});

describe('checkLength', () => {
  it('counts characters, not UTF-16 units, and names the field and the limit', () => {
    expect(() => checkLength(SMILE.repeat(500), 500, 'name')).not.toThrow();
    const e = rejection(() => checkLength(`${SMILE.repeat(500)}!`, 500, 'name'));
    expect(e.field).toBe('name');
    expect(e.message).toBe('[core] name is 501 characters long; the limit is 500 characters.');
  });

  it('rejects a lone surrogate', () => {
    expect(rejection(() => checkLength('run \udfff', 250, 'runName')).field).toBe('runName');
  });
});

describe('metric values', () => {
  it('accepts NaN and infinities, rejects booleans and strings', () => {
    expect(() => validateMetricValue('m', Number.NaN)).not.toThrow();
    expect(() => validateMetricValue('m', Infinity)).not.toThrow();
    expect(() => validateMetricValue('m', true)).toThrow(/must be a number/);
    expect(() => validateMetricValue('m', '1')).toThrow(/must be a number/);
  });

  it('clamps infinities to ±MAX_VALUE as MLflow SQL stores do, leaves NaN', () => {
    expect(clampMetricValue(Infinity)).toBe(Number.MAX_VALUE);
    expect(clampMetricValue(-Infinity)).toBe(-Number.MAX_VALUE);
    expect(clampMetricValue(Number.NaN)).toBeNaN();
    expect(clampMetricValue(0.5)).toBe(0.5);
  });
});

describe('timestamps and steps', () => {
  it('wants integer milliseconds, not negative', () => {
    expect(() => validateTimestamp(1_700_000_000_000)).not.toThrow();
    expect(() => validateTimestamp(-1)).toThrow(/non-negative integer/);
    expect(() => validateTimestamp(1.5)).toThrow(/non-negative integer/);
  });

  it('accepts negative integer steps, rejects fractions', () => {
    expect(() => validateStep(-3)).not.toThrow();
    expect(() => validateStep(0.5)).toThrow(/integer/);
  });
});
