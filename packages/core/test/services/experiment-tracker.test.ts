import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LogbookError, RunStatus, isLogbookError } from '../../src/index.js';
import { servicesOverMemory } from '../support/logbook-fixture.js';

describe('ExperimentTracker', () => {
  describe('.createExperiment', () => {
    it('stores the description as mlflow.note.content beside the given tags', async () => {
      const { tracker } = servicesOverMemory();
      const id = await tracker.createExperiment('team/project', 'what we try', { owner: 'ana' });
      const exp = await tracker.getExperiment(id);
      expect(exp.name).toBe('team/project');
      expect(exp.tags).toEqual({ owner: 'ana', 'mlflow.note.content': 'what we try' });
    });

    it('rejects hierarchical names with an empty segment, naming the field', async () => {
      const { tracker } = servicesOverMemory();
      await expect(tracker.createExperiment('a//b')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'name' });
      await expect(tracker.createExperiment('')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });
  });

  describe('.getOrCreateExperiment', () => {
    it('returns the same id for the same name, creating it once', async () => {
      const { tracker, backend } = servicesOverMemory();
      const [a, b] = await Promise.all([tracker.getOrCreateExperiment('x'), tracker.getOrCreateExperiment('x')]);
      expect(a).toBe(b);
      expect((await backend.tracking.searchExperiments({ filter: "name = 'x'" })).items).toHaveLength(1);
    });

    it('refuses a deleted experiment with INVALID_STATE', async () => {
      const { tracker, backend } = servicesOverMemory();
      const id = await tracker.createExperiment('gone');
      await backend.tracking.deleteExperiment(id);
      await expect(tracker.getOrCreateExperiment('gone')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });
  });

  describe('.listExperimentTree', () => {
    it('nests experiments by their /-separated names, with intermediate levels', async () => {
      const { tracker } = servicesOverMemory();
      for (const n of ['seg/unet/v2', 'seg/unet', 'seg/deeplab', 'cls', 'segment']) await tracker.createExperiment(n);
      const tree = await tracker.listExperimentTree();
      // Every store has MLflow's Default experiment.
      expect(tree.map((n) => n.name)).toEqual(['Default', 'cls', 'seg', 'segment']);
      const seg = tree[2]!;
      expect(seg.experiment).toBeUndefined();
      expect(seg.children.map((c) => c.path)).toEqual(['seg/deeplab', 'seg/unet']);
      expect(seg.children[1]!.experiment?.name).toBe('seg/unet');
      expect(seg.children[1]!.children[0]!.path).toBe('seg/unet/v2');
    });

    it('keeps only the prefix and what is under it', async () => {
      const { tracker } = servicesOverMemory();
      for (const n of ['seg/unet', 'segment', 'seg']) await tracker.createExperiment(n);
      const tree = await tracker.listExperimentTree('seg');
      expect(tree).toHaveLength(1);
      expect(tree[0]!.experiment?.name).toBe('seg');
      expect(tree[0]!.children.map((c) => c.path)).toEqual(['seg/unet']);
    });
  });

  describe('.startRun', () => {
    it('sets the user, source and parent tags, letting given tags override them', async () => {
      const { tracker } = servicesOverMemory();
      const exp = await tracker.createExperiment('e');
      const parent = await tracker.startRun(exp, 'parent', { startTime: 1234 });
      const child = await tracker.startRun(exp, 'child', { parentRunId: parent, tags: { 'mlflow.user': 'bot', team: 'survey' } });
      const p = await tracker.getRun(parent);
      expect(p.info.startTime).toBe(1234);
      expect(p.info.status).toBe(RunStatus.RUNNING);
      expect(p.data.tags).toMatchObject({
        'mlflow.user': userInfo().username,
        'mlflow.source.type': 'LOCAL',
        'mlflow.source.name': process.argv[1],
        'mlflow.runName': 'parent',
      });
      expect(p.data.tags['mlflow.parentRunId']).toBeUndefined();
      const c = await tracker.getRun(child);
      expect(c.info.userId).toBe('bot');
      expect(c.data.tags).toMatchObject({ 'mlflow.user': 'bot', team: 'survey', 'mlflow.parentRunId': parent });
      expect((await tracker.getChildRuns(parent)).map((r) => r.info.runId)).toEqual([child]);
    });

    it('handles its tags by the rule of setTags: 8000 characters in code points, lone surrogates refused', async () => {
      const { tracker } = servicesOverMemory();
      const exp = await tracker.createExperiment('e');
      const run = await tracker.startRun(exp, 'r', { tags: { edge: '😀'.repeat(8000), long: `a${'😀'.repeat(8000)}` } });
      const { tags } = (await tracker.getRun(run)).data;
      expect(tags['edge']).toBe('😀'.repeat(8000));
      expect(tags['long']).toBe(`a${'😀'.repeat(7999)}`);
      await expect(tracker.startRun(exp, 'r', { tags: { half: 'x\ud83d' } })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'tags.half' });
    });
  });

  describe('.logParameters', () => {
    it('flattens nested objects and stringifies values', async () => {
      const { tracker } = servicesOverMemory();
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      tracker.logParameters({ optimizer: { lr: 0.01, betas: [0.9, 0.99] }, epochs: 3, amp: true, note: null, skip: undefined }, run);
      await tracker.flush(run);
      expect((await tracker.getRun(run)).data.params).toEqual({
        'optimizer.lr': '0.01',
        'optimizer.betas': '[0.9,0.99]',
        epochs: '3',
        amp: 'true',
        note: 'None',
      });
    });

    it('keeps the good params of a call and reports each value that cannot be a param by name, never throwing', async () => {
      const { tracker, errors } = servicesOverMemory();
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      const config: Record<string, unknown> = { lr: 0.01, nested: { depth: 2 } };
      config['self'] = config;
      const list: unknown[] = [1];
      list.push(list);
      expect(() => tracker.logParameters({ config, epochs: 3, callback: () => 1, tag: Symbol('t'), list, when: new Date(Number.NaN) }, run)).not.toThrow();
      await tracker.flush(run);
      expect((await tracker.getRun(run)).data.params).toEqual({ 'config.lr': '0.01', 'config.nested.depth': '2', epochs: '3' });
      expect(errors.map((e) => isLogbookError(e) && [e.code, e.field])).toEqual([
        ['INVALID_PARAMETER_VALUE', 'params.config.self'],
        ['INVALID_PARAMETER_VALUE', 'params.callback'],
        ['INVALID_PARAMETER_VALUE', 'params.tag'],
        ['INVALID_PARAMETER_VALUE', 'params.list'],
        ['INVALID_PARAMETER_VALUE', 'params.when'],
      ]);
      expect((errors[0] as Error).message).toMatch(/^\[core\] Param 'config\.self' is a circular reference/);
      expect((errors[1] as Error).message).toMatch(/^\[core\] Param 'callback' is a function/);
    });

    it('reports params that are not an object (null, an array) as a typed error', async () => {
      const { tracker, errors } = servicesOverMemory();
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      expect(() => tracker.logParameters(null as unknown as Record<string, unknown>, run)).not.toThrow();
      expect(() => tracker.logParameters([1, 2] as unknown as Record<string, unknown>, run)).not.toThrow();
      expect(errors).toEqual([
        expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'params', message: expect.stringMatching(/got null/) }),
        expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: 'params', message: expect.stringMatching(/got an array/) }),
      ]);
    });
  });

  describe('.logMetric', () => {
    it('never throws: a bad point goes to the error handler naming the field', async () => {
      const { tracker, errors } = servicesOverMemory();
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      expect(() => tracker.logMetric('loss', 'high' as unknown as number, 1, run)).not.toThrow();
      expect(() => tracker.logMetrics({ ok: 1, 'bad//key': 2 }, 1, run)).not.toThrow();
      await tracker.flush();
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'metrics.loss' });
      expect(errors[1]).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'metrics.bad//key' });
      expect((await tracker.getRun(run)).data.metrics.map((m) => m.key)).toEqual(['ok']);
    });

    it('reports logMetrics(null) and setTags(undefined) as typed errors naming the argument, not a TypeError', async () => {
      const { tracker, errors } = servicesOverMemory();
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      expect(() => tracker.logMetrics(null as unknown as Record<string, number>, 1, run)).not.toThrow();
      expect(() => tracker.setTags(undefined as unknown as Record<string, string>, run)).not.toThrow();
      expect(errors.map((e) => isLogbookError(e) && [e.code, e.field])).toEqual([
        ['INVALID_PARAMETER_VALUE', 'metrics'],
        ['INVALID_PARAMETER_VALUE', 'tags'],
      ]);
    });
  });

  describe('.endRun', () => {
    it('drains the run before ending it', async () => {
      const { tracker, backend } = servicesOverMemory();
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      for (let step = 0; step < 10; step++) tracker.logMetric('loss', 1 / (step + 1), step, run, 1000 + step);
      tracker.setTags({ phase: 'done' }, run);
      await tracker.endRun(run, RunStatus.FAILED, 5000);
      const r = await tracker.getRun(run);
      expect(r.info).toMatchObject({ status: RunStatus.FAILED, endTime: 5000 });
      expect(r.data.tags['phase']).toBe('done');
      expect(backend.tracking.runs.get(run)!.metrics).toHaveLength(10);
      expect((await tracker.getMetricHistory(run, 'loss')).map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });

  describe('.compareRuns', () => {
    it('lines params and latest metrics up per run and marks the keys that differ', async () => {
      const { tracker } = servicesOverMemory();
      const exp = await tracker.createExperiment('e');
      const a = await tracker.startRun(exp);
      const b = await tracker.startRun(exp);
      tracker.logParameters({ lr: 0.1, seed: 1 }, a);
      tracker.logParameters({ lr: 0.2, seed: 1, extra: 'x' }, b);
      tracker.logMetrics({ acc: 0.9, loss: 0.1 }, 1, a);
      tracker.logMetrics({ acc: 0.9, loss: 0.3 }, 1, b);
      await tracker.flush();
      const cmp = await tracker.compareRuns([a, b]);
      expect(cmp.runs.map((r) => r.runId)).toEqual([a, b]);
      expect(cmp.params).toEqual([
        { key: 'extra', values: [undefined, 'x'], differs: true },
        { key: 'lr', values: ['0.1', '0.2'], differs: true },
        { key: 'seed', values: ['1', '1'], differs: false },
      ]);
      expect(cmp.metrics).toEqual([
        { key: 'acc', values: [0.9, 0.9], differs: false },
        { key: 'loss', values: [0.1, 0.3], differs: true },
      ]);
    });
  });

  describe('.logArtifacts', () => {
    it('uploads bytes, files and streams under the run artifact URI', async () => {
      const { tracker, backend } = servicesOverMemory();
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      const file = join(mkdtempSync(join(tmpdir(), 'logbook-art-')), 'weights.bin');
      writeFileSync(file, Buffer.alloc(7));
      const infos = await tracker.logArtifacts(
        {
          'notes/a.txt': Buffer.from('hello'),
          'model/weights.bin': file,
          'log.txt': Readable.from([Buffer.from('abc')]),
        },
        run,
      );
      expect(infos.map((i) => [i.path, i.fileSize])).toEqual([
        ['notes/a.txt', 5],
        ['model/weights.bin', 7],
        ['log.txt', 3],
      ]);
      const uri = (await tracker.getRun(run)).info.artifactUri;
      expect(backend.artifacts.putCalls).toEqual([
        { uri, path: 'notes/a.txt', size: 5 },
        { uri, path: 'model/weights.bin', size: 7 },
        { uri, path: 'log.txt' },
      ]);
    });

    it('refuses an artifact over maxArtifactSize before sending any byte', async () => {
      const { tracker, backend } = servicesOverMemory({ maxArtifactSize: 4 });
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      const file = join(mkdtempSync(join(tmpdir(), 'logbook-art-')), 'big.bin');
      writeFileSync(file, Buffer.alloc(5));
      const small = Buffer.from('ok');
      await expect(tracker.logArtifacts({ 'a.txt': small, 'big.bin': file }, run)).rejects.toThrow(/maxArtifactSize=4/);
      await expect(tracker.logArtifacts({ 'b.bin': Buffer.alloc(5) }, run)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(backend.artifacts.putCalls).toEqual([]);
    });

    it('cuts a stream off once it passes the limit', async () => {
      const { tracker, backend } = servicesOverMemory({ maxArtifactSize: 4 });
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      const err = await tracker.logArtifacts({ 's.bin': Readable.from([Buffer.alloc(3), Buffer.alloc(3)]) }, run).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LogbookError);
      expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(backend.artifacts.files.size).toBe(0);
    });

    it('rejects unsafe artifact paths', async () => {
      const { tracker } = servicesOverMemory();
      const run = await tracker.startRun(await tracker.createExperiment('e'));
      await expect(tracker.logArtifacts({ '../escape.txt': Buffer.from('x') }, run)).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    });
  });
});
