import { describe, expect, it } from 'vitest';
import { DisposalStack } from '../../src/container/disposal-stack.js';
import { LogbookError } from '../../src/index.js';

describe('DisposalStack', () => {
  describe('.dispose', () => {
    it('disposes the last added first, awaiting each before the next', async () => {
      const events: string[] = [];
      const stack = new DisposalStack();
      for (const name of ['stores', 'spool', 'logger']) {
        stack.defer(name, async () => {
          events.push(`${name} start`);
          await new Promise((resolve) => setImmediate(resolve));
          events.push(`${name} end`);
        });
      }
      await stack.dispose();
      expect(events).toEqual(['logger start', 'logger end', 'spool start', 'spool end', 'stores start', 'stores end']);
    });

    it('runs once however often it is called', async () => {
      let calls = 0;
      const stack = new DisposalStack();
      stack.defer('store', () => {
        calls++;
      });
      await Promise.all([stack.dispose(), stack.dispose()]);
      await stack.dispose();
      expect(calls).toBe(1);
    });

    it('disposes everything when one fails, then rejects with that failure', async () => {
      const events: string[] = [];
      const boom = new Error('disk gone');
      const stack = new DisposalStack();
      stack.defer('stores', () => {
        events.push('stores');
      });
      stack.defer('logger', () => {
        throw boom;
      });
      stack.defer('container', () => {
        events.push('container');
      });
      await expect(stack.dispose()).rejects.toBe(boom);
      expect(events).toEqual(['container', 'stores']);
      await expect(stack.dispose()).rejects.toBe(boom);
    });

    it('names every resource that failed when more than one did', async () => {
      const stack = new DisposalStack();
      stack.defer('stores', () => Promise.reject(new Error('a')));
      stack.defer('spool', () => Promise.reject(new Error('b')));
      const error = await stack.dispose().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogbookError);
      expect(error).toMatchObject({ code: 'INTERNAL_ERROR', message: '[core] Closing failed for spool, stores.' });
      expect(((error as LogbookError).cause as AggregateError).errors.map((e: Error) => e.message)).toEqual(['b', 'a']);
    });
  });

  describe('.defer', () => {
    it('refuses a resource once disposal has begun (it would never be disposed)', async () => {
      const stack = new DisposalStack();
      void stack.dispose();
      expect(() => stack.defer('late', () => undefined)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    });
  });
});
