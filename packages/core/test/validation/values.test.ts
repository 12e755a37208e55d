import { describe, expect, it } from 'vitest';
import {
  LIMITS, checkStringValue, clampMetricValue, validateMetricValue, validateStep, validateTimestamp,
} from '../../src/index.js';

describe('checkStringValue', () => {
  it('truncates long params to 6000 and tags to 8000 under the truncate policy (MLflow server default)', () => {
    expect(checkStringValue('param', 'p', 'x'.repeat(7000), 'truncate')).toHaveLength(LIMITS.maxParamValueLength);
    expect(checkStringValue('tag', 't', 'x'.repeat(9000), 'truncate')).toHaveLength(LIMITS.maxTagValueLength);
  });

  it('rejects long values under the reject policy, naming the key and the limit', () => {
    expect(() => checkStringValue('param', 'lr', 'x'.repeat(6001), 'reject', 'params[2].value')).toThrow(
      /"lr".*6001.*6000 \(params\[2\]\.value\)/,
    );
  });

  it('keeps values at the limit unchanged', () => {
    const v = 'y'.repeat(6000);
    expect(checkStringValue('param', 'p', v, 'reject')).toBe(v);
  });

  it('rejects non-strings', () => {
    expect(() => checkStringValue('tag', 't', 3, 'truncate')).toThrow(/must be a string/);
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
