import { LogMetric, Param, Track, currentRunId, getDefaultLogbook } from '@logbook/core';
import type { PatchSet } from '../data/dataset.js';
import { Prng } from '../data/prng.js';
import { Adam } from '../model/adam.js';
import { EncoderDecoder } from '../model/encoder-decoder.js';
import { quantile, reconstructionErrors, scorePatches, trainEpoch } from './fit.js';

/** The experiment every run of this example goes to. */
export const EXPERIMENT = 'anomaly-detection/unet-training';

/** Hyperparameters of one training run. */
export interface TrainingConfig {
  readonly learningRate: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Channels at full resolution. */
  readonly channels: number;
  /** Channels at the 1/4-resolution bottleneck. */
  readonly bottleneck: number;
  /** Share of training patches below the flagging threshold (the rest are flagged). */
  readonly flagQuantile: number;
  /** Seed of the weight initialisation and the batch order. */
  readonly seed: number;
}

/** Training and validation patches. */
export interface TrainingData {
  readonly train: PatchSet;
  readonly validation: PatchSet;
}

/** What {@link TransientDetector.evaluateEpoch} logs each epoch. */
export interface EpochMetrics {
  readonly train_loss: number;
  readonly val_loss: number;
  readonly precision: number;
  readonly recall: number;
}

/** The outcome of one {@link TransientDetector.train} call. */
export interface TrainingResult {
  readonly runId: string;
  readonly model: EncoderDecoder;
  /** Reconstruction error above which a patch is flagged. */
  readonly threshold: number;
  /** One entry per epoch, as logged. */
  readonly history: readonly EpochMetrics[];
}

/**
 * Trains the encoder–decoder on difference-image patches and flags transients by reconstruction
 * error. Each `train()` call is one tracked run: the `@Param` properties are its params, and every
 * `evaluateEpoch()` call logs its metrics at step `epoch`.
 */
@Track({ experiment: EXPERIMENT, tags: { model: 'encoder-decoder', task: 'transient-detection' } })
export class TransientDetector {
  @Param() readonly learningRate: number;
  @Param() readonly epochs: number;
  @Param() readonly batchSize: number;
  @Param() readonly channels: number;
  @Param() readonly bottleneck: number;
  @Param() readonly flagQuantile: number;
  @Param() readonly seed: number;
  /** The epoch being evaluated: the step of the logged metrics. */
  epoch = 0;
  private threshold = Number.POSITIVE_INFINITY;

  constructor(config: TrainingConfig) {
    this.learningRate = config.learningRate;
    this.epochs = config.epochs;
    this.batchSize = config.batchSize;
    this.channels = config.channels;
    this.bottleneck = config.bottleneck;
    this.flagQuantile = config.flagQuantile;
    this.seed = config.seed;
  }

  /** Trains for `epochs` epochs, evaluating after each one. */
  @Track()
  async train(data: TrainingData): Promise<TrainingResult> {
    const runId = currentRunId() as string; // always set inside a @Track'ed call
    const logbook = await getDefaultLogbook();
    logbook.tracker.setTags({ 'mlflow.runName': `lr-${this.learningRate}` }, runId);
    const model = new EncoderDecoder({ patch: data.train.patch, channels: this.channels, bottleneck: this.bottleneck }, this.seed);
    const optimizer = new Adam(model.params.length);
    const rng = new Prng(this.seed + 1);
    const history: EpochMetrics[] = [];
    for (this.epoch = 0; this.epoch < this.epochs; this.epoch++) {
      const trainLoss = trainEpoch(model, optimizer, data.train.inputs, this.batchSize, this.learningRate, rng);
      history.push(this.evaluateEpoch(model, trainLoss, data));
    }
    return { runId, model, threshold: this.threshold, history };
  }

  /**
   * Sets the flagging threshold at the `flagQuantile` of the training patches' errors (no labels
   * needed), then scores the validation patches against it.
   */
  @LogMetric(undefined, { step: 'prop:epoch' })
  evaluateEpoch(model: EncoderDecoder, trainLoss: number, data: TrainingData): EpochMetrics {
    this.threshold = quantile(reconstructionErrors(model, data.train.inputs), this.flagQuantile);
    const scores = scorePatches(model, data.validation, this.threshold);
    return { train_loss: trainLoss, val_loss: scores.loss, precision: scores.precision, recall: scores.recall };
  }
}
