import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogMetric, type LogbookError, Track, currentRunId, setDefaultLogbook, withRun } from '../../src/index.js';
import type { Metric } from '../../src/index.js';
import { openFixture } from './fixture.js';
import type { DecoratorFixture } from './fixture.js';

let fx: DecoratorFixture;
beforeEach(async () => {
  fx = await openFixture();
});
afterEach(async () => {
  await fx.close();
});

async function history(runId: string | undefined, key: string): Promise<Pick<Metric, 'value' | 'step'>[]> {
  return (await fx.store.getMetricHistory(runId!, key)).items.map(({ value, step }) => ({ value, step }));
}

/** Runs `body` inside a tracked run of the fixture's logbook; returns the run id. */
async function inRun(body: () => unknown): Promise<string> {
  class Harness {
    @Track({ experiment: 'metrics', logbook: () => fx.logbook })
    async run(): Promise<string | undefined> {
      await body();
      return currentRunId();
    }
  }
  return (await new Harness().run())!;
}

describe('LogMetric', () => {
  it('logs a returned number under the given name or the method name, and returns it unchanged (sync stays sync)', async () => {
    class Model {
      @LogMetric('train_loss') loss(v: number): number {
        return v;
      }
      @LogMetric() accuracy(): number {
        return 0.75;
      }
    }
    const m = new Model();
    const runId = await inRun(() => {
      const out = m.loss(0.5);
      expect(out).toBe(0.5); // not a Promise
      m.accuracy();
    });
    expect(await history(runId, 'train_loss')).toEqual([{ value: 0.5, step: 0 }]);
    expect(await history(runId, 'accuracy')).toEqual([{ value: 0.75, step: 0 }]);
  });

  it('logs each numeric key of a returned object, prefixed by the name when there is one', async () => {
    class Model {
      @LogMetric('val') evaluate(): { loss: number; acc: number } {
        return { loss: 0.2, acc: 0.9 };
      }
      @LogMetric() test(): Record<string, number> {
        return { test_loss: 0.3 };
      }
    }
    const runId = await inRun(() => {
      new Model().evaluate();
      new Model().test();
    });
    const run = await fx.store.getRun(runId);
    expect(Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]))).toEqual({ 'val.loss': 0.2, 'val.acc': 0.9, test_loss: 0.3 });
  });

  it('logs the resolved value of an async method, and passes a rejection through untouched', async () => {
    const boom = new Error('eval failed');
    class Model {
      @LogMetric('score') async score(v: number): Promise<number> {
        await new Promise((r) => setImmediate(r));
        return v;
      }
      @LogMetric('never') async fail(): Promise<number> {
        throw boom;
      }
    }
    const m = new Model();
    const runId = await inRun(async () => {
      expect(await m.score(3)).toBe(3);
      await expect(m.fail()).rejects.toBe(boom);
    });
    expect(await history(runId, 'score')).toEqual([{ value: 3, step: 0 }]);
    expect(await history(runId, 'never')).toEqual([]);
    expect(fx.errors).toEqual([]);
  });

  it('takes the step from an argument, from a property, or counts calls per instance and run', async () => {
    class Model {
      epoch = 0;
      @LogMetric('a', { step: 'arg:1' }) byArg(v: number, _step: number): number {
        return v;
      }
      @LogMetric('p', { step: 'prop:epoch' }) byProp(v: number): number {
        this.epoch += 10;
        return v;
      }
      @LogMetric('c', { step: 'auto' }) counted(v: number): number {
        return v;
      }
    }
    const m = new Model();
    const other = new Model();
    const first = await inRun(() => {
      m.byArg(1, 7);
      m.byArg(2, 9);
      m.byProp(1);
      m.byProp(2);
      m.counted(1);
      m.counted(2);
      other.counted(3);
      m.counted(4);
    });
    expect(await history(first, 'a')).toEqual([
      { value: 1, step: 7 },
      { value: 2, step: 9 },
    ]);
    expect(await history(first, 'p')).toEqual([
      { value: 1, step: 10 },
      { value: 2, step: 20 },
    ]);
    // The store orders history by timestamp, then step: compare as a set of points.
    const byValue = (points: { value: number }[]) => [...points].sort((x, y) => x.value - y.value);
    expect(byValue(await history(first, 'c'))).toEqual([
      { value: 1, step: 0 },
      { value: 2, step: 1 },
      { value: 3, step: 0 },
      { value: 4, step: 2 },
    ]);
    const second = await inRun(() => {
      m.counted(5);
    });
    expect(await history(second, 'c')).toEqual([{ value: 5, step: 0 }]);
  });

  it('reports a non-integer step once and does not log those points', async () => {
    class Model {
      @LogMetric('x', { step: 'arg:0' }) bad(_s: unknown): number {
        return 1;
      }
    }
    const runId = await inRun(() => {
      new Model().bad(1.5);
      new Model().bad('two');
      new Model().bad(3);
    });
    expect(await history(runId, 'x')).toEqual([{ value: 1, step: 3 }]);
    expect(fx.errors).toHaveLength(1);
    expect(String(fx.errors[0]!.error)).toMatch(/Model\.bad takes its step from argument 0, which is 1\.5; a step must be an integer/);
    expect(fx.errors[0]!.context).toEqual({ operation: 'decorators.logMetric', runId });
  });

  it('reports non-numeric values to the error handler instead of throwing, logging the numeric keys', async () => {
    class Model {
      calls = 0;
      @LogMetric('m') mixed(): unknown {
        return { ok: ++this.calls, label: 'high', flag: true };
      }
      @LogMetric('s') text(): unknown {
        return 'n/a';
      }
    }
    const m = new Model();
    const runId = await inRun(() => {
      m.mixed();
      m.mixed();
      expect(m.text()).toBe('n/a');
    });
    expect((await history(runId, 'm.ok')).map((p) => p.value).sort()).toEqual([1, 2]);
    const messages = fx.errors.map((e) => (e.error as LogbookError).message);
    expect(messages).toEqual([
      expect.stringMatching(/Model\.mixed returned a string for metric 'm\.label'/),
      expect.stringMatching(/Model\.mixed returned a boolean for metric 'm\.flag'/),
      expect.stringMatching(/Model\.text returned a string for metric 's'/),
    ]);
  });

  it('outside any run: returns the value, logs nothing, and reports once per method to the default logbook', async () => {
    class Model {
      @LogMetric('loss') loss(): number {
        return 0.1;
      }
    }
    const m = new Model();
    setDefaultLogbook(fx.logbook);
    try {
      expect(m.loss()).toBe(0.1);
      expect(m.loss()).toBe(0.1);
      await vi.waitFor(() => expect(fx.errors).toHaveLength(1));
    } finally {
      setDefaultLogbook(undefined);
    }
    await fx.logbook.flush();
    expect(fx.errors).toHaveLength(1);
    expect((fx.errors[0]!.error as LogbookError).code).toBe('INVALID_STATE');
    expect(String(fx.errors[0]!.error)).toMatch(/Model\.loss was called outside a run, so its value was not logged/);
    expect(fx.errors[0]!.context).toEqual({ operation: 'decorators.logMetric' });
  });

  it('logs into a run entered with withRun() without a logbook, through the default logbook', async () => {
    const experimentId = await fx.logbook.tracker.getOrCreateExperiment('manual');
    const runId = await fx.logbook.tracker.startRun(experimentId);
    class Model {
      @LogMetric('m') value(v: number): number {
        return v;
      }
    }
    setDefaultLogbook(fx.logbook);
    try {
      withRun(runId, () => new Model().value(4));
      await vi.waitFor(async () => {
        await fx.logbook.flush();
        expect(await history(runId, 'm')).toEqual([{ value: 4, step: 0 }]);
      });
    } finally {
      setDefaultLogbook(undefined);
    }
  });

  it('logs into a run entered with withRun() and an explicit logbook', async () => {
    const experimentId = await fx.logbook.tracker.getOrCreateExperiment('manual');
    const runId = await fx.logbook.tracker.startRun(experimentId);
    class Model {
      @LogMetric('m', { step: 'auto' }) step(v: number): number {
        return v;
      }
    }
    const m = new Model();
    withRun(
      runId,
      () => {
        m.step(1);
        m.step(2);
      },
      { logbook: fx.logbook },
    );
    await fx.logbook.tracker.endRun(runId);
    expect(await history(runId, 'm')).toEqual([
      { value: 1, step: 0 },
      { value: 2, step: 1 },
    ]);
  });

  it('logs nothing when the logbook turns experimentAutoLogging off', async () => {
    const off = await openFixture({ autoLogging: false });
    class Model {
      @LogMetric('loss') loss(): number {
        return 1;
      }
      @Track({ experiment: 'off', logbook: () => off.logbook })
      async fit(): Promise<string | undefined> {
        this.loss();
        return currentRunId();
      }
    }
    const runId = await new Model().fit();
    expect((await off.store.getRun(runId!)).data.metrics).toEqual([]);
    await off.close();
  });

  it('refuses a malformed step source and a non-method at decoration time', () => {
    expect(() => LogMetric('x', { step: 'args:0' as 'auto' })).toThrow(/step "args:0" is not one of/);
    expect(() => {
      class Bad {
        @(LogMetric() as PropertyDecorator) value = 1;
      }
      return Bad;
    }).toThrow();
  });
});
