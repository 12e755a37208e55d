import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_TAG, LogbookError, LogMetric, Param, RunStatus, Track, currentRunId, setDefaultLogbook } from '../../src/index.js';
import type { Run } from '../../src/index.js';
import { openFixture, withFaults } from './fixture.js';
import type { DecoratorFixture } from './fixture.js';

let fx: DecoratorFixture;
beforeEach(async () => {
  fx = await openFixture();
});
afterEach(async () => {
  await fx.close();
});

async function runsOf(experiment: string): Promise<Run[]> {
  const exp = await fx.store.getExperimentByName(experiment);
  if (exp === undefined) return [];
  return [...(await fx.store.searchRuns({ experimentIds: [exp.experimentId] })).items];
}

describe('Track', () => {
  describe('on a method', () => {
    it('runs each call in a new FINISHED run of the experiment, created when missing, with the params', async () => {
      class Trainer {
        @Param() lr = 0.01;
        @Track({ experiment: 'exp/a', runName: 'fit', tags: { team: 'vision' }, logbook: () => fx.logbook })
        async fit(): Promise<string | undefined> {
          return currentRunId();
        }
      }
      const t = new Trainer();
      const first = await t.fit();
      t.lr = 0.02;
      const second = await t.fit();
      const runs = await runsOf('exp/a');
      expect(runs.map((r) => r.info.runId).sort()).toEqual([first, second].sort());
      const run = await fx.store.getRun(first!);
      expect(run.info.status).toBe(RunStatus.FINISHED);
      expect(run.info.runName).toBe('fit');
      expect(run.data.tags).toMatchObject({ team: 'vision' });
      expect(run.data.tags['mlflow.parentRunId']).toBeUndefined();
      expect(run.data.params).toEqual({ lr: '0.01' });
      expect((await fx.store.getRun(second!)).data.params).toEqual({ lr: '0.02' });
      expect(fx.errors).toEqual([]);
    });

    it('returns what an async method resolves to, after the run has ended', async () => {
      class Job {
        @Track({ experiment: 'e', logbook: () => fx.logbook })
        async work(x: number): Promise<{ x: number; runId: string | undefined }> {
          await new Promise((r) => setImmediate(r));
          return { x: x * 2, runId: currentRunId() };
        }
      }
      const out = await new Job().work(21);
      expect(out.x).toBe(42);
      expect((await fx.store.getRun(out.runId!)).info.status).toBe(RunStatus.FINISHED);
      expect(currentRunId()).toBeUndefined();
    });

    it('ends the run FAILED with the error tag and re-throws the same error when the method rejects', async () => {
      const boom = new RangeError('loss diverged at epoch 3');
      let runId: string | undefined;
      class Job {
        @Track({ experiment: 'e', logbook: () => fx.logbook })
        async work(): Promise<void> {
          runId = currentRunId();
          await Promise.resolve();
          throw boom;
        }
      }
      await expect(new Job().work()).rejects.toBe(boom);
      const run = await fx.store.getRun(runId!);
      expect(run.info.status).toBe(RunStatus.FAILED);
      expect(run.info.endTime).toBeTypeOf('number');
      expect(run.data.tags[ERROR_TAG]).toBe('loss diverged at epoch 3');
    });

    it('handles a synchronous throw the same way, and truncates the tag to the tag limit', async () => {
      const huge = 'x'.repeat(9000);
      let runId: string | undefined;
      class Job {
        @Track({ experiment: 'e', logbook: () => fx.logbook })
        work(): Promise<void> {
          runId = currentRunId();
          throw new Error(huge);
        }
      }
      await expect(new Job().work()).rejects.toThrow(huge);
      const run = await fx.store.getRun(runId!);
      expect(run.info.status).toBe(RunStatus.FAILED);
      expect(run.data.tags[ERROR_TAG]).toBe('x'.repeat(8000));
    });

    it('counts the error tag in characters, never cuts an emoji in half, and mends a lone surrogate', async () => {
      const runIds: string[] = [];
      class Job {
        @Track({ experiment: 'e', logbook: () => fx.logbook })
        async work(message: string): Promise<void> {
          runIds.push(currentRunId()!);
          throw new Error(message);
        }
      }
      await expect(new Job().work(`a${'😀'.repeat(8000)}`)).rejects.toThrow();
      await expect(new Job().work('half \ud83d of a smile')).rejects.toThrow();
      expect((await fx.store.getRun(runIds[0]!)).data.tags[ERROR_TAG]).toBe(`a${'😀'.repeat(7999)}`);
      expect((await fx.store.getRun(runIds[1]!)).data.tags[ERROR_TAG]).toBe('half \uFFFD of a smile');
      expect(fx.errors).toEqual([]);
    });

    it('tags a thrown non-Error by its string form and re-throws it as is', async () => {
      let runId: string | undefined;
      const thrown = { code: 42, toString: () => 'custom failure 42' };
      class Job {
        @Track({ experiment: 'e', logbook: () => fx.logbook })
        async work(): Promise<void> {
          runId = currentRunId();
          throw thrown;
        }
      }
      await expect(new Job().work()).rejects.toBe(thrown);
      const run = await fx.store.getRun(runId!);
      expect(run.info.status).toBe(RunStatus.FAILED);
      expect(run.data.tags[ERROR_TAG]).toBe('custom failure 42');
    });

    it('refuses an empty experiment name or an over-long run name at decoration time', () => {
      expect(() => Track({ experiment: ' ' })).toThrow(/Invalid experiment name/);
      expect(() => Track({ experiment: 'e', runName: 'r'.repeat(251) })).toThrow(/runName is 251 characters long; the limit is 250/);
    });

    it('refuses an accessor at decoration time', () => {
      expect(() => {
        class Bad {
          // @ts-expect-error a getter is not a method returning a Promise
          @Track({ experiment: 'e' }) get value(): Promise<number> {
            return Promise.resolve(1);
          }
        }
        return Bad;
      }).toThrow(/@Track\(\) on value: only methods and classes can be tracked/);
    });

    it('makes a tracked call inside a run a child run of it, across objects and awaits', async () => {
      const seen: Record<string, string | undefined> = {};
      class Evaluator {
        @Track({ experiment: 'eval', logbook: () => fx.logbook })
        async evaluate(): Promise<void> {
          seen.child = currentRunId();
        }
      }
      class Pipeline {
        constructor(private readonly evaluator: Evaluator) {}
        @Track({ experiment: 'pipeline', logbook: () => fx.logbook })
        async run(): Promise<void> {
          seen.parent = currentRunId();
          await new Promise((r) => setTimeout(r, 1));
          await this.evaluator.evaluate();
          seen.after = currentRunId();
        }
      }
      await new Pipeline(new Evaluator()).run();
      expect(seen.child).toBeDefined();
      expect(seen.child).not.toBe(seen.parent);
      expect(seen.after).toBe(seen.parent);
      const child = await fx.store.getRun(seen.child!);
      expect(child.data.tags['mlflow.parentRunId']).toBe(seen.parent);
      expect(child.info.experimentId).toBe((await fx.store.getExperimentByName('eval'))!.experimentId);
      expect((await fx.store.getRun(seen.parent!)).data.tags['mlflow.parentRunId']).toBeUndefined();
    });

    it('gives concurrent calls separate runs and logs each metric to its own run', async () => {
      class Job {
        @Track({ experiment: 'par', logbook: () => fx.logbook })
        async work(id: number): Promise<string | undefined> {
          for (let i = 0; i < 5; i++) {
            await new Promise((r) => setImmediate(r));
            this.report(id, i);
          }
          return currentRunId();
        }
        @LogMetric('id', { step: 'arg:1' })
        report(id: number, _step: number): number {
          return id;
        }
      }
      const job = new Job();
      const [a, b] = await Promise.all([job.work(1), job.work(2)]);
      expect(a).not.toBe(b);
      for (const [runId, id] of [
        [a, 1],
        [b, 2],
      ] as const) {
        const history = (await fx.store.getMetricHistory(runId!, 'id')).items;
        expect(history.map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
        expect(history.every((m) => m.value === id)).toBe(true);
      }
    });

    it("uses the default logbook when given none, and the parent run's logbook for a nested call", async () => {
      const other = await openFixture();
      const seen: Record<string, string | undefined> = {};
      class Inner {
        @Track({ experiment: 'inner' }) async work(): Promise<void> {
          seen.inner = currentRunId();
        }
      }
      class Outer {
        @Track({ experiment: 'outer', logbook: () => other.logbook })
        async work(): Promise<void> {
          seen.outer = currentRunId();
          await new Inner().work();
        }
      }
      setDefaultLogbook(fx.logbook);
      try {
        await new Inner().work();
        const alone = seen.inner;
        await new Outer().work();
        expect((await fx.store.getRun(alone!)).info.status).toBe(RunStatus.FINISHED);
        // The nested run lives beside its parent in `other`, not in the default logbook.
        const nested = await other.store.getRun(seen.inner!);
        expect(nested.data.tags['mlflow.parentRunId']).toBe(seen.outer);
        await expect(fx.store.getRun(seen.inner!)).rejects.toThrow();
      } finally {
        setDefaultLogbook(undefined);
        await other.close();
      }
    });

    it("starts a top-level run when a nested call is given another logbook than its parent's", async () => {
      const other = await openFixture();
      let inner: string | undefined;
      class Job {
        @Track({ experiment: 'elsewhere', logbook: () => other.logbook })
        async inner(): Promise<void> {
          inner = currentRunId();
        }
        @Track({ experiment: 'here', logbook: () => fx.logbook })
        async outer(): Promise<void> {
          await this.inner();
        }
      }
      try {
        await new Job().outer();
        const run = await other.store.getRun(inner!);
        expect(run.info.status).toBe(RunStatus.FINISHED);
        expect(run.data.tags['mlflow.parentRunId']).toBeUndefined();
      } finally {
        await other.close();
      }
    });

    it("tracks static methods, with the class's defaults", async () => {
      @Track({ experiment: 'static', logbook: () => fx.logbook })
      class Jobs {
        @Track() static async nightly(): Promise<string | undefined> {
          return currentRunId();
        }
      }
      const runId = await Jobs.nightly();
      const run = await fx.store.getRun(runId!);
      expect(run.info.experimentId).toBe((await fx.store.getExperimentByName('static'))!.experimentId);
      expect(run.info.status).toBe(RunStatus.FINISHED);
    });

    it('rejects before running the method when no experiment is configured', async () => {
      let ran = false;
      class Job {
        @Track({ logbook: () => fx.logbook })
        async work(): Promise<void> {
          ran = true;
        }
      }
      const error = await new Job().work().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LogbookError);
      expect((error as LogbookError).code).toBe('INVALID_CONFIGURATION');
      expect((error as LogbookError).message).toMatch(/Job\.work has no experiment/);
      expect(ran).toBe(false);
    });

    it('rejects before running the method when the run cannot be created', async () => {
      let ran = false;
      const broken = withFaults(fx.logbook, { getOrCreateExperiment: () => Promise.reject(new Error('backend down')) });
      class Job {
        @Track({ experiment: 'e', logbook: broken })
        async work(): Promise<void> {
          ran = true;
        }
      }
      await expect(new Job().work()).rejects.toThrow('backend down');
      expect(ran).toBe(false);
    });

    it('reports a failure to end the run to the error handler and still returns the result', async () => {
      const flaky = withFaults(fx.logbook, { endRun: () => Promise.reject(new Error('cannot end')) });
      class Job {
        @Track({ experiment: 'e', logbook: flaky })
        async work(): Promise<number> {
          return 7;
        }
      }
      await expect(new Job().work()).resolves.toBe(7);
      expect(fx.errors.map((e) => [String(e.error), e.context.operation])).toEqual([['Error: cannot end', 'decorators.endRun']]);
    });

    it('reports to the error handler the logbook hands in, with no container to look it up in', async () => {
      const seen: string[] = [];
      const { tracker, config } = withFaults(fx.logbook, { endRun: () => Promise.reject(new Error('cannot end')) });
      const injected = {
        tracker,
        config,
        onError: (error: unknown) => {
          seen.push(String(error));
        },
      };
      class Job {
        @Track({ experiment: 'e', logbook: injected })
        async work(): Promise<number> {
          return 7;
        }
      }
      await expect(new Job().work()).resolves.toBe(7);
      expect(seen).toEqual(['Error: cannot end']);
      expect(fx.errors).toEqual([]);
    });

    it('turns a failure into a process warning when the logbook hands in no error handler', async () => {
      const { tracker, config } = withFaults(fx.logbook, { endRun: () => Promise.reject(new Error('cannot end')) });
      const warnings: string[] = [];
      const onWarning = (w: Error) => {
        if (w.name === 'LogbookWarning') warnings.push(w.message);
      };
      process.on('warning', onWarning);
      try {
        class Job {
          @Track({ experiment: 'e', logbook: { tracker, config } })
          async work(): Promise<number> {
            return 7;
          }
        }
        await expect(new Job().work()).resolves.toBe(7);
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        process.off('warning', onWarning);
      }
      expect(warnings).toEqual(['cannot end (decorators.endRun)']);
    });

    it('is refused by the type checker on a method that does not return a Promise', () => {
      class Job {
        // @ts-expect-error a tracked call is asynchronous: the method must be declared to return a Promise
        @Track({ experiment: 'e', logbook: () => fx.logbook }) work(): number {
          return 1;
        }
      }
      expect(new Job().work()).toBeInstanceOf(Promise);
    });
  });

  describe('on a class', () => {
    it('supplies defaults to its @Track() methods, the method options winning and tags merged', async () => {
      @Track({ experiment: 'cls', runName: 'default-name', tags: { team: 'a', stage: 'dev' }, logbook: () => fx.logbook })
      class Job {
        @Track() async plain(): Promise<string | undefined> {
          return currentRunId();
        }
        @Track({ experiment: 'other', runName: 'own', tags: { stage: 'prod' } })
        async own(): Promise<string | undefined> {
          return currentRunId();
        }
        async untracked(): Promise<string | undefined> {
          return currentRunId();
        }
      }
      const job = new Job();
      const plain = await fx.store.getRun((await job.plain())!);
      expect(plain.info.experimentId).toBe((await fx.store.getExperimentByName('cls'))!.experimentId);
      expect(plain.info.runName).toBe('default-name');
      expect(plain.data.tags).toMatchObject({ team: 'a', stage: 'dev' });
      const own = await fx.store.getRun((await job.own())!);
      expect(own.info.experimentId).toBe((await fx.store.getExperimentByName('other'))!.experimentId);
      expect(own.info.runName).toBe('own');
      expect(own.data.tags).toMatchObject({ team: 'a', stage: 'prod' });
      expect(await job.untracked()).toBeUndefined();
    });

    it('does no I/O at decoration time: no logbook is asked for and nothing is stored', async () => {
      let asked = 0;
      const source = () => {
        asked++;
        return fx.logbook;
      };
      @Track({ experiment: 'lazy', logbook: source })
      class Job {
        @Param() lr = 1;
        @Track() async work(): Promise<void> {}
        @LogMetric() loss(): number {
          return 1;
        }
      }
      const job = new Job();
      expect(asked).toBe(0);
      expect(await fx.store.getExperimentByName('lazy')).toBeUndefined();
      await job.work();
      expect(asked).toBe(1);
      expect(await runsOf('lazy')).toHaveLength(1);
    });
  });
});
