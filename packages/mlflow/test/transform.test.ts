import { describe, expect, it } from 'vitest';
import type { LogbookError } from '@logbook/core';
import { requireWellFormedJson } from '../src/transform.js';

function rejection(body: unknown): LogbookError {
  try {
    requireWellFormedJson(body);
  } catch (e) {
    return e as LogbookError;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

describe('requireWellFormedJson', () => {
  it('passes bodies of well-formed strings, non-BMP characters included, and non-strings', () => {
    expect(() =>
      requireWellFormedJson({
        run_id: 'abc',
        metrics: [{ key: 'm', value: 1, timestamp: 0, step: 0 }],
        params: [{ key: '𝔸'.repeat(250), value: '😀'.repeat(6000) }],
        tags: [],
        flag: true,
        none: null,
      }),
    ).not.toThrow();
  });

  it('refuses a lone surrogate anywhere with INVALID_PARAMETER_VALUE naming the field as log-batch does', () => {
    const body = {
      run_id: 'r',
      params: [
        { key: 'a', value: 'ok' },
        { key: 'b', value: 'x\ud83d' },
      ],
      tags: [{ key: 't', value: 'fine' }],
    };
    const e = rejection(body);
    expect(e.code).toBe('INVALID_PARAMETER_VALUE');
    expect(e.field).toBe('params[1].value');
    expect(rejection({ key: 'k', value: '\ude00' }).field).toBe('value');
    expect(rejection({ tags: [{ key: 'k\udbff', value: 'v' }] }).field).toBe('tags[0].key');
    expect(rejection('\ud800').field).toBe('body');
  });
});
