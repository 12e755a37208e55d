import '@logbook/sqlite';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelStage, RunStatus, SEMVER_TAG, PARENT_VERSION_TAG, createLogbook, setDefaultLogbook } from '@logbook/core';
import type { Logbook } from '@logbook/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncoderDecoder } from '../src/model/encoder-decoder.js';
import type { SavedModel } from '../src/model/encoder-decoder.js';
import { DEFAULT_SWEEP, LearningRateSweep } from '../src/training/sweep.js';
import type { SweepOptions, SweepResult } from '../src/training/sweep.js';
import { EXPERIMENT } from '../src/training/transient-detector.js';

// Small enough to train in a fraction of a second: 2 learning rates × 2 epochs on 128 patches.
const SMALL: Partial<SweepOptions> = {
  learningRates: [0.003, 0.01],
  training: { ...DEFAULT_SWEEP.training, epochs: 2 },
  trainImages: 8,
  validationImages: 4,
  modelName: 'test-detector',
};

let dir: string;
let logbook: Logbook;
let result: SweepResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unet-training-'));
  logbook = await createLogbook({ trackingUri: join(dir, 'logbook.db') });
  setDefaultLogbook(logbook); // what the decorated classes log to
  result = await new LearningRateSweep({ ...SMALL, outDir: join(dir, 'out') }).run();
});

afterAll(async () => {
  setDefaultLogbook(undefined);
  await logbook.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LearningRateSweep', () => {
  it('lowers the training and validation loss from the first epoch to the last', () => {
    for (const child of result.children) {
      const [first, last] = [child.history[0]!, child.history.at(-1)!];
      expect(last.train_loss).toBeLessThan(first.train_loss);
      expect(last.val_loss).toBeLessThan(first.val_loss);
    }
  });

  it('stores a finished parent run with the data params and one child run per learning rate', async () => {
    const parent = await logbook.tracker.getRun(result.parentRunId);
    expect(parent.info.status).toBe(RunStatus.FINISHED);
    expect(parent.info.runName).toBe('lr-sweep');
    expect((await logbook.tracker.getExperiment(parent.info.experimentId)).name).toBe(EXPERIMENT);
    expect(parent.data.params).toMatchObject({ learningRates: '[0.003,0.01]', trainImages: '8', 'training.epochs': '2', 'field.psfSigma': '1.2' });
    expect(parent.data.tags['logbook.bestRunId']).toBe(result.best.runId);

    const children = await logbook.tracker.getChildRuns(result.parentRunId);
    expect(children.map((c) => c.data.params['learningRate']).sort()).toEqual(['0.003', '0.01']);
    for (const child of children) {
      expect(child.info.status).toBe(RunStatus.FINISHED);
      expect(child.info.runName).toBe(`lr-${child.data.params['learningRate']}`);
      expect(child.data.params).toMatchObject({ epochs: '2', batchSize: '16', channels: '4', bottleneck: '2' });
    }
  });

  it('logs train loss, validation loss, precision and recall at every epoch', async () => {
    for (const child of result.children) {
      for (const key of ['train_loss', 'val_loss', 'precision', 'recall'] as const) {
        const points = await logbook.tracker.getMetricHistory(child.runId, key);
        expect(points.map((p) => p.step)).toEqual([0, 1]);
        expect(points.map((p) => p.value)).toEqual(child.history.map((h) => expect.closeTo(h[key], 10)));
      }
    }
  });

  it("logs the best model's weights as an artifact that loads back into the same model", async () => {
    const run = await logbook.tracker.getRun(result.best.runId);
    const listing = await logbook.stores.artifacts.list(run.info.artifactUri, 'model');
    expect(listing.map((f) => f.path)).toEqual(['model/weights.json']);
    const download = await logbook.stores.artifacts.get(run.info.artifactUri, 'model/weights.json');
    const chunks: Buffer[] = [];
    for await (const chunk of download.stream) chunks.push(chunk as Buffer);
    const saved = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SavedModel;
    expect(saved).toEqual(JSON.parse(await readFile(result.published.weightsPath, 'utf8')));
    const model = EncoderDecoder.load(saved);
    expect(Array.from(model.params)).toEqual(Array.from(result.best.model.params));
    expect(saved.threshold).toBe(result.best.threshold);
  });

  it('registers the best child as version 1 (semver 0.1.0) in Staging', async () => {
    const versions = await logbook.registry.listModelVersions('test-detector');
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: '1', runId: result.best.runId, currentStage: ModelStage.Staging, source: `runs:/${result.best.runId}/model` });
    expect(versions[0]!.tags[SEMVER_TAG]).toBe('0.1.0');
  });

  it('registers the next sweep as 0.2.0 derived from version 1, which is archived', async () => {
    const second = await new LearningRateSweep({ ...SMALL, learningRates: [0.01], outDir: join(dir, 'out2') }).run();
    expect(second.published.semver).toBe('0.2.0');
    const [v1, v2] = await logbook.registry.listModelVersions('test-detector');
    expect(v2).toMatchObject({ version: '2', currentStage: ModelStage.Staging });
    expect(v2!.tags[PARENT_VERSION_TAG]).toBe('1');
    expect(v1!.currentStage).toBe(ModelStage.Archived);
  });
});
