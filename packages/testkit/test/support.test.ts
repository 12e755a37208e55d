import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LogbookError } from '@logbook/core';
import { collectPages, expectCode, readAll, uniqueName } from '../src/index.js';

describe('testkit support', () => {
  describe('.uniqueName', () => {
    it('never repeats, so suites can share one server', () => {
      const names = new Set(Array.from({ length: 1000 }, () => uniqueName('x')));
      expect(names.size).toBe(1000);
    });
  });

  describe('.expectCode', () => {
    it('passes on a LogbookError of the expected code and returns it', async () => {
      const error = await expectCode(Promise.reject(new LogbookError('INVALID_STATE', 'x')), 'INVALID_STATE');
      expect(error.message).toBe('x');
    });

    it('fails when the call succeeds, or fails with another code or error type', async () => {
      await expect(expectCode(Promise.resolve(1), 'INVALID_STATE')).rejects.toThrow(/succeeded/);
      await expect(expectCode(Promise.reject(new LogbookError('INTERNAL_ERROR', 'y')), 'INVALID_STATE')).rejects.toThrow(/INTERNAL_ERROR/);
      await expect(expectCode(Promise.reject(new Error('plain')), 'INVALID_STATE')).rejects.toThrow(/plain/);
    });
  });

  describe('.collectPages', () => {
    it('follows tokens until a page has none', async () => {
      const pages: Record<string, { items: number[]; nextPageToken?: string }> = {
        start: { items: [1, 2], nextPageToken: 't1' },
        t1: { items: [3], nextPageToken: 't2' },
        t2: { items: [] },
      };
      const result = await collectPages(async (token) => pages[token ?? 'start']!);
      expect(result).toEqual({ items: [1, 2, 3], pages: 3 });
    });

    it('fails on a token that never ends', async () => {
      await expect(collectPages(async () => ({ items: [1], nextPageToken: 'again' }), 5)).rejects.toThrow(/5 pages/);
    });
  });

  describe('.readAll', () => {
    it('concatenates a stream of mixed chunks', async () => {
      const bytes = await readAll(Readable.from([Buffer.from('ab'), new Uint8Array([99])]));
      expect(bytes.toString()).toBe('abc');
    });
  });
});
