import { Param, Track, currentRunId, getDefaultLogbook } from '@logbook/core';
import { DEFAULT_FIELD, makePatchSet } from '../data/dataset.js';
import type { StarFieldOptions } from '../data/star-field.js';
import { publishModel } from '../registry/publish-model.js';
import type { PublishedModel } from '../registry/publish-model.js';
import { EXPERIMENT, TransientDetector } from './transient-detector.js';
import type { TrainingConfig, TrainingResult } from './transient-detector.js';

/** Options of a {@link LearningRateSweep}; every one has a default. */
export interface SweepOptions {
  /** One child run per rate. @default [0.001, 0.003, 0.01] */
  readonly learningRates: readonly number[];
  /** Everything else of each child's training. @default 4 epochs, batch 16, 4/2 channels, quantile 0.9, seed 1 */
  readonly training: Omit<TrainingConfig, 'learningRate'>;
  /** Difference images drawn for training (16 patches each). @default 32 */
  readonly trainImages: number;
  /** Difference images drawn for validation. @default 16 */
  readonly validationImages: number;
  /** Patch side, pixels. @default 16 */
  readonly patch: number;
  /** Seed of the synthetic sky; validation uses `dataSeed + 1`. @default 2026 */
  readonly dataSeed: number;
  readonly field: StarFieldOptions;
  /** Registered model the best child becomes a version of. @default 'star-field-transient-detector' */
  readonly modelName: string;
  /** Folder the best weights are written to before being logged. @default a fresh temp folder */
  readonly outDir?: string;
}

/** Defaults of {@link SweepOptions}. */
export const DEFAULT_SWEEP: SweepOptions = {
  learningRates: [0.001, 0.003, 0.01],
  training: { epochs: 4, batchSize: 16, channels: 4, bottleneck: 2, flagQuantile: 0.9, seed: 1 },
  trainImages: 32,
  validationImages: 16,
  patch: 16,
  dataSeed: 2026,
  field: DEFAULT_FIELD,
  modelName: 'star-field-transient-detector',
};

/** What a sweep produced. */
export interface SweepResult {
  readonly parentRunId: string;
  readonly children: readonly (TrainingResult & { readonly learningRate: number })[];
  readonly best: TrainingResult & { readonly learningRate: number };
  readonly published: PublishedModel;
}

/**
 * A learning-rate sweep: one parent run whose params describe the data, and one child run per
 * learning rate (nested `@Track` calls become child runs). The best child by validation F1 is
 * published: its weights logged as an artifact, registered as a new model version, moved to Staging.
 */
@Track({ experiment: EXPERIMENT, tags: { kind: 'sweep' } })
export class LearningRateSweep {
  @Param() readonly learningRates: readonly number[];
  @Param() readonly training: Omit<TrainingConfig, 'learningRate'>;
  @Param() readonly trainImages: number;
  @Param() readonly validationImages: number;
  @Param() readonly patch: number;
  @Param() readonly dataSeed: number;
  @Param() readonly field: StarFieldOptions;
  private readonly modelName: string;
  private readonly outDir: string | undefined;

  constructor(options: Partial<SweepOptions> = {}) {
    const o = { ...DEFAULT_SWEEP, ...options };
    this.learningRates = o.learningRates;
    this.training = o.training;
    this.trainImages = o.trainImages;
    this.validationImages = o.validationImages;
    this.patch = o.patch;
    this.dataSeed = o.dataSeed;
    this.field = o.field;
    this.modelName = o.modelName;
    this.outDir = o.outDir;
  }

  /** Draws the data, trains one child per learning rate, publishes the best. */
  @Track({ runName: 'lr-sweep' })
  async run(): Promise<SweepResult> {
    const parentRunId = currentRunId() as string; // always set inside a @Track'ed call
    const data = {
      train: makePatchSet({ ...this.field, images: this.trainImages, patch: this.patch, seed: this.dataSeed }),
      validation: makePatchSet({ ...this.field, images: this.validationImages, patch: this.patch, seed: this.dataSeed + 1 }),
    };
    const children: SweepResult['children'][number][] = [];
    for (const learningRate of this.learningRates) {
      const result = await new TransientDetector({ ...this.training, learningRate }).train(data);
      children.push({ ...result, learningRate });
    }
    const best = children.reduce((a, b) => (better(b, a) ? b : a));
    const logbook = await getDefaultLogbook();
    logbook.tracker.setTags({ 'logbook.bestRunId': best.runId }, parentRunId);
    const published = await publishModel(logbook, best, { modelName: this.modelName, outDir: this.outDir });
    return { parentRunId, children, best, published };
  }
}

/** F1 of the last epoch's flags. */
export function f1(result: TrainingResult): number {
  const last = result.history[result.history.length - 1];
  if (last === undefined || last.precision + last.recall === 0) return 0;
  return (2 * last.precision * last.recall) / (last.precision + last.recall);
}

/** Higher validation F1 wins; a tie goes to the lower validation loss. */
function better(a: TrainingResult, b: TrainingResult): boolean {
  const fa = f1(a),
    fb = f1(b);
  if (fa !== fb) return fa > fb;
  return (a.history.at(-1)?.val_loss ?? Infinity) < (b.history.at(-1)?.val_loss ?? Infinity);
}
