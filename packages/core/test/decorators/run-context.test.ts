import { describe, expect, it } from 'vitest';
import { currentRunId, withRun } from '../../src/index.js';

describe('run context', () => {
  describe('currentRunId', () => {
    it('is undefined outside any run', () => {
      expect(currentRunId()).toBeUndefined();
    });
  });

  describe('withRun', () => {
    it('sets the run for the callback, its awaits and its timers, and returns what it returns', async () => {
      const seen: (string | undefined)[] = [];
      const out = await withRun('r1', async () => {
        seen.push(currentRunId());
        await new Promise((r) => setTimeout(r, 1));
        seen.push(currentRunId());
        await new Promise<void>((r) =>
          setImmediate(() => {
            seen.push(currentRunId());
            r();
          }),
        );
        return 42;
      });
      expect(out).toBe(42);
      expect(seen).toEqual(['r1', 'r1', 'r1']);
      expect(currentRunId()).toBeUndefined();
    });

    it('nests, restoring the outer run afterwards', () => {
      withRun('outer', () => {
        withRun('inner', () => expect(currentRunId()).toBe('inner'));
        expect(currentRunId()).toBe('outer');
      });
    });

    it('keeps concurrent callbacks apart', async () => {
      const task = (id: string) =>
        withRun(id, async () => {
          const seen: (string | undefined)[] = [];
          for (let i = 0; i < 5; i++) {
            await new Promise((r) => setImmediate(r));
            seen.push(currentRunId());
          }
          return seen;
        });
      const [a, b] = await Promise.all([task('a'), task('b')]);
      expect(a).toEqual(Array(5).fill('a'));
      expect(b).toEqual(Array(5).fill('b'));
    });
  });
});
