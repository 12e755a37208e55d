import { describe, expect, it } from 'vitest';
import { posixNormpath } from '../../src/spi.js';

describe('posixNormpath', () => {
  // Expected values are what CPython's posixpath.normpath returns.
  const cases: [string, string][] = [
    ['', '.'],
    ['.', '.'],
    ['a', 'a'],
    ['a/', 'a'],
    ['a//b', 'a/b'],
    ['a/./b', 'a/b'],
    ['a/../b', 'b'],
    ['../a', '../a'],
    ['a/../../b', '../b'],
    ['/../a', '/a'],
    ['//a', '//a'],
    ['///a', '/a'],
    ['/a/', '/a'],
  ];
  it.each(cases)('normpath(%j) = %j', (input, expected) => {
    expect(posixNormpath(input)).toBe(expected);
  });
});
