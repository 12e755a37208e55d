import { Prng } from './prng.js';
import { drawDifferenceImage } from './star-field.js';
import type { StarFieldOptions } from './star-field.js';

/** Square tiles of difference images, each labelled by whether a transient lies in it. */
export interface PatchSet {
  /** Side of each patch, pixels. */
  readonly patch: number;
  readonly inputs: readonly Float32Array[];
  /** True when an injected transient's centre is inside the patch. */
  readonly labels: readonly boolean[];
}

/** Options of {@link makePatchSet}. */
export interface PatchSetOptions extends StarFieldOptions {
  /** Difference images to draw. */
  readonly images: number;
  /** Patch side; must divide `size`. */
  readonly patch: number;
  readonly seed: number;
}

/**
 * A PSF-matched survey: subtraction leaves faint residuals of the stars, which the model must learn
 * to treat as normal, and transients of 10–30 noise sigmas.
 */
export const DEFAULT_FIELD: StarFieldOptions = {
  size: 64,
  stars: 25,
  transients: 2,
  psfSigma: 1.2,
  newPsfSigma: 1.25,
  noise: 1,
  starPeak: [2, 30],
  transientPeak: [10, 30],
};

/** Draws `images` difference images from `seed` and tiles them into labelled patches. */
export function makePatchSet(o: PatchSetOptions): PatchSet {
  if (o.size % o.patch !== 0) throw new Error(`patch (${o.patch}) must divide size (${o.size})`);
  const rng = new Prng(o.seed);
  const inputs: Float32Array[] = [];
  const labels: boolean[] = [];
  const tiles = o.size / o.patch;
  for (let i = 0; i < o.images; i++) {
    const img = drawDifferenceImage(rng, o);
    for (let ty = 0; ty < tiles; ty++) {
      for (let tx = 0; tx < tiles; tx++) {
        const p = new Float32Array(o.patch * o.patch);
        for (let y = 0; y < o.patch; y++) {
          const row = (ty * o.patch + y) * o.size + tx * o.patch;
          p.set(img.pixels.subarray(row, row + o.patch), y * o.patch);
        }
        inputs.push(p);
        labels.push(img.transients.some((t) => Math.floor(t.x / o.patch) === tx && Math.floor(t.y / o.patch) === ty));
      }
    }
  }
  return { patch: o.patch, inputs, labels };
}
