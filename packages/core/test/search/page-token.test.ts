import { describe, expect, it } from 'vitest';
import { LogbookError } from '../../src/index.js';
import { decodePageToken, encodePageToken, paginate } from '../../src/spi.js';

describe('page tokens', () => {
  it('encodes MLflow\'s SQL-store format byte for byte: base64 of {"offset": N}', () => {
    // The token MLflow's Python store produces for offset 2.
    expect(encodePageToken(2)).toBe('eyJvZmZzZXQiOiAyfQ==');
    expect(decodePageToken('eyJvZmZzZXQiOiAyfQ==')).toBe(2);
  });

  it('round-trips offsets and reads an absent token as offset 0', () => {
    for (const n of [1, 7, 1000, 123_456_789]) expect(decodePageToken(encodePageToken(n))).toBe(n);
    expect(decodePageToken(undefined)).toBe(0);
    expect(decodePageToken('')).toBe(0);
  });

  it('rejects malformed tokens with INVALID_PARAMETER_VALUE naming the field', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const token of ['%%%', 'abc', b64('not json'), b64('{"offset": 0}'), b64('{"offset": -3}'), b64('{"x": 1}'), b64('[1]')]) {
      let error: unknown;
      try {
        decodePageToken(token, 'page_token');
      } catch (e) {
        error = e;
      }
      expect(error, token).toBeInstanceOf(LogbookError);
      expect((error as LogbookError).code).toBe('INVALID_PARAMETER_VALUE');
      expect((error as LogbookError).message).toMatch(/Invalid page token .*page_token/);
    }
  });

  it('paginates a list: a token only while more items follow', () => {
    const items = [1, 2, 3, 4, 5];
    const first = paginate(items, { maxResults: 2 });
    expect(first.items).toEqual([1, 2]);
    const second = paginate(items, { maxResults: 2, pageToken: first.nextPageToken });
    const third = paginate(items, { maxResults: 2, pageToken: second.nextPageToken });
    expect([second.items, third.items]).toEqual([[3, 4], [5]]);
    expect(third.nextPageToken).toBeUndefined();
    expect(paginate(items, { maxResults: 5 }).nextPageToken).toBeUndefined();
  });
});
