import { describe, expect, it } from 'vitest';
import type { LogbookError } from '../../src/index.js';
import { validateKey } from '../../src/spi.js';

function rejection(key: unknown): LogbookError {
  try {
    validateKey('metric', key, 'metrics[0].key');
  } catch (e) {
    return e as LogbookError;
  }
  throw new Error(`expected ${JSON.stringify(key)} to be rejected`);
}

describe('validateKey', () => {
  it('accepts the characters MLflow accepts, Unicode letters included', () => {
    for (const key of ['loss', 'val/loss', 'a-b_c.d', 'with space', 'ns:key', 'σ_noise', '学习率', 'epoch 1/f1']) {
      expect(() => validateKey('metric', key)).not.toThrow();
    }
  });

  it('counts the 250-character limit in code points: 250 letters outside the BMP are a valid key', () => {
    expect(() => validateKey('param', '𝔸'.repeat(250))).not.toThrow();
    expect(() => validateKey('param', `a${'𝔸'.repeat(249)}`)).not.toThrow();
    const e = rejection('𝔸'.repeat(251));
    expect(e.code).toBe('INVALID_PARAMETER_VALUE');
    expect(e.message).toContain('is 251 characters long; the limit is 250 characters (metrics[0].key)');
  });

  it('rejects a key holding a lone surrogate', () => {
    expect(rejection('loss\ud835').field).toBe('metrics[0].key');
  });

  it('rejects other characters with INVALID_PARAMETER_VALUE naming the field', () => {
    const e = rejection('loss!');
    expect(e.code).toBe('INVALID_PARAMETER_VALUE');
    expect(e.field).toBe('metrics[0].key');
    expect(e.message).toContain('metrics[0].key');
    expect(e.message).toContain('"loss!"');
  });

  it('rejects keys that are not stable paths, as posixpath.normpath would change them', () => {
    for (const key of ['a//b', 'a/./b', './a', 'a/', '/a', '../a', '..', '.', 'a/../b']) {
      expect(rejection(key).code, key).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it('enforces the 250-character limit and says so', () => {
    expect(() => validateKey('param', 'k'.repeat(250))).not.toThrow();
    const e = rejection('k'.repeat(251));
    expect(e.message).toContain('250');
  });

  it('rejects empty and non-string keys', () => {
    expect(rejection('').code).toBe('INVALID_PARAMETER_VALUE');
    expect(rejection(undefined).code).toBe('INVALID_PARAMETER_VALUE');
    expect(rejection(42).code).toBe('INVALID_PARAMETER_VALUE');
  });
});
