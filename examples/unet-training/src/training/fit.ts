import type { Prng } from '../data/prng.js';
import type { PatchSet } from '../data/dataset.js';
import type { Adam } from '../model/adam.js';
import type { EncoderDecoder } from '../model/encoder-decoder.js';

/** Scores of a model on a labelled patch set. */
export interface Evaluation {
  /** Mean reconstruction error over all patches. */
  readonly loss: number;
  /** Of the flagged patches, the share that hold a transient (1 when none is flagged). */
  readonly precision: number;
  /** Of the patches that hold a transient, the share flagged (1 when there are none). */
  readonly recall: number;
}

/**
 * One pass over `inputs` in a shuffled order, one optimiser step per mini-batch.
 * @returns the mean training loss of the epoch.
 */
export function trainEpoch(model: EncoderDecoder, optimizer: Adam, inputs: readonly Float32Array[], batchSize: number, learningRate: number, rng: Prng): number {
  const order = rng.shuffle(inputs.map((_, i) => i));
  let total = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = order.slice(start, start + batchSize);
    model.zeroGrad();
    for (const i of batch) total += model.backward(inputs[i], 1 / batch.length);
    optimizer.step(model.params, model.grad, learningRate);
  }
  return total / inputs.length;
}

/** Reconstruction error of every patch. */
export function reconstructionErrors(model: EncoderDecoder, inputs: readonly Float32Array[]): number[] {
  return inputs.map((x) => model.reconstructionError(x));
}

/** The `q`-quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Flags the patches whose reconstruction error exceeds `threshold` and scores the flags. */
export function scorePatches(model: EncoderDecoder, set: PatchSet, threshold: number): Evaluation {
  const errors = reconstructionErrors(model, set.inputs);
  let tp = 0,
    fp = 0,
    fn = 0;
  errors.forEach((e, i) => {
    const flagged = e > threshold;
    if (flagged && set.labels[i]) tp++;
    else if (flagged) fp++;
    else if (set.labels[i]) fn++;
  });
  return {
    loss: errors.reduce((a, b) => a + b, 0) / errors.length,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}
