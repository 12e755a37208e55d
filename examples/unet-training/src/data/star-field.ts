import type { Prng } from './prng.js';

/** How a pair of synthetic survey epochs is drawn. */
export interface StarFieldOptions {
  /** Side of the square image, pixels. */
  readonly size: number;
  /** Stars per image. */
  readonly stars: number;
  /** Transients injected into the second epoch. */
  readonly transients: number;
  /** PSF width (Gaussian sigma, pixels) of the reference epoch. */
  readonly psfSigma: number;
  /** PSF width of the new epoch: a different seeing leaves ring residuals in the difference. */
  readonly newPsfSigma: number;
  /** Per-pixel noise sigma of each epoch (sky-subtracted units). */
  readonly noise: number;
  /** Peak brightness range of stars, in noise sigmas. */
  readonly starPeak: readonly [number, number];
  /** Peak brightness range of transients, in noise sigmas. */
  readonly transientPeak: readonly [number, number];
}

/** A difference image (new − reference) and where its transients are. */
export interface DifferenceImage {
  readonly size: number;
  /** Row-major pixels, scaled so that pure noise has unit variance. */
  readonly pixels: Float32Array;
  /** Integer pixel positions of the injected transients. */
  readonly transients: readonly { readonly x: number; readonly y: number }[];
}

/** Adds a Gaussian PSF of the given peak at (cx, cy), only within 4 sigma (the rest is < 1e-3). */
function addSource(img: Float32Array, size: number, cx: number, cy: number, peak: number, sigma: number): void {
  const r = Math.ceil(4 * sigma);
  const inv = 1 / (2 * sigma * sigma);
  const y0 = Math.max(0, Math.floor(cy) - r),
    y1 = Math.min(size - 1, Math.floor(cy) + r);
  const x0 = Math.max(0, Math.floor(cx) - r),
    x1 = Math.min(size - 1, Math.floor(cx) + r);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx,
        dy = y - cy;
      img[y * size + x] += peak * Math.exp(-(dx * dx + dy * dy) * inv);
    }
  }
}

/**
 * Draws a reference epoch and a new epoch of the same star field (different seeing, a small
 * astrometric jitter, independent noise, transients only in the new one) and returns their
 * difference, as an image-subtraction pipeline would hand it to a transient detector.
 */
export function drawDifferenceImage(rng: Prng, o: StarFieldOptions): DifferenceImage {
  const n = o.size * o.size;
  const ref = new Float32Array(n);
  const cur = new Float32Array(n);
  for (let s = 0; s < o.stars; s++) {
    const x = rng.uniform(0, o.size),
      y = rng.uniform(0, o.size);
    // Few bright stars, many faint ones: a power law in peak brightness.
    const peak = o.starPeak[0] * (o.starPeak[1] / o.starPeak[0]) ** (rng.next() ** 3) * o.noise;
    const jx = rng.gaussian() * 0.1,
      jy = rng.gaussian() * 0.1;
    // Same total flux in both epochs: the peak scales with 1/sigma².
    const ratio = (o.psfSigma * o.psfSigma) / (o.newPsfSigma * o.newPsfSigma);
    addSource(ref, o.size, x, y, peak, o.psfSigma);
    addSource(cur, o.size, x + jx, y + jy, peak * ratio, o.newPsfSigma);
  }
  const transients: { x: number; y: number }[] = [];
  for (let t = 0; t < o.transients; t++) {
    const x = rng.uniform(2, o.size - 2),
      y = rng.uniform(2, o.size - 2);
    const peak = rng.uniform(o.transientPeak[0], o.transientPeak[1]) * o.noise;
    addSource(cur, o.size, x, y, peak, o.newPsfSigma);
    transients.push({ x: Math.floor(x), y: Math.floor(y) });
  }
  const pixels = new Float32Array(n);
  const scale = 1 / (o.noise * Math.SQRT2);
  for (let i = 0; i < n; i++) {
    const a = cur[i] + rng.gaussian() * o.noise;
    const b = ref[i] + rng.gaussian() * o.noise;
    pixels[i] = (a - b) * scale;
  }
  return { size: o.size, pixels, transients };
}
