import { Prng } from '../data/prng.js';
import { convBackward, convForward, poolBackward, poolForward, reluBackward, reluForward, upBackward, upForward } from './layers.js';
import type { Conv3x3 } from './layers.js';

/** Shape of the {@link EncoderDecoder}. */
export interface EncoderDecoderShape {
  /** Side of the square input patch; divisible by 4. */
  readonly patch: number;
  /** Channels at full resolution. */
  readonly channels: number;
  /** Channels at the 1/4-resolution bottleneck. */
  readonly bottleneck: number;
}

/** What a saved model file holds. */
export interface SavedModel {
  readonly format: 'logbook-example/encoder-decoder@1';
  readonly shape: EncoderDecoderShape;
  /** Reconstruction error above which a patch is flagged as a transient. */
  readonly threshold: number;
  readonly weights: number[];
}

/**
 * A U-Net-shaped convolutional encoder–decoder, written out by hand:
 * `conv 1→c · ReLU · pool · conv c→b · ReLU · pool` down to 1/4 resolution, then
 * `upsample · conv b→c · ReLU · upsample · conv c→1` back up. It deliberately has no skip
 * connections: a skip would carry a transient straight to the output and hide it from the
 * reconstruction error, which is what flags transients here.
 */
export class EncoderDecoder {
  /** Every weight and bias, in one vector (what the optimiser updates and what is saved). */
  readonly params: Float32Array;
  /** Gradient accumulated by {@link backward} since the last {@link zeroGrad}. */
  readonly grad: Float32Array;
  private readonly layers: readonly [Conv3x3, Conv3x3, Conv3x3, Conv3x3];
  private readonly t: Record<'a1' | 'p1' | 'a2' | 'p2' | 'u1' | 'a3' | 'u2' | 'y', Float32Array>;
  private readonly d: Record<'a1' | 'p1' | 'a2' | 'p2' | 'u1' | 'a3' | 'u2' | 'y', Float32Array>;

  constructor(
    readonly shape: EncoderDecoderShape,
    seed = 1,
  ) {
    const { patch: s, channels: c, bottleneck: b } = shape;
    if (s % 4 !== 0) throw new Error(`patch must be divisible by 4, got ${s}`);
    let size = 0;
    const conv = (inC: number, outC: number): Conv3x3 => {
      const layer = { inC, outC, w: size, b: size + outC * inC * 9 };
      size = layer.b + outC;
      return layer;
    };
    this.layers = [conv(1, c), conv(c, b), conv(b, c), conv(c, 1)];
    this.params = new Float32Array(size);
    this.grad = new Float32Array(size);
    const rng = new Prng(seed);
    for (const l of this.layers) {
      const std = Math.sqrt(2 / (l.inC * 9)); // He initialisation for ReLU layers
      for (let j = 0; j < l.outC * l.inC * 9; j++) this.params[l.w + j] = rng.gaussian() * std;
    }
    const h = s / 2,
      q = s / 4;
    const sizes = { a1: c * s * s, p1: c * h * h, a2: b * h * h, p2: b * q * q, u1: b * h * h, a3: c * h * h, u2: c * s * s, y: s * s };
    const alloc = () => Object.fromEntries(Object.entries(sizes).map(([k, n]) => [k, new Float32Array(n)])) as EncoderDecoder['t'];
    this.t = alloc();
    this.d = alloc();
  }

  /** Rebuilds a model from {@link save}'s output. */
  static load(saved: SavedModel): EncoderDecoder {
    const model = new EncoderDecoder(saved.shape);
    model.params.set(saved.weights);
    return model;
  }

  /** The model as JSON-serialisable data. */
  save(threshold: number): SavedModel {
    return { format: 'logbook-example/encoder-decoder@1', shape: this.shape, threshold, weights: Array.from(this.params) };
  }

  /** Reconstructs `x`; the result is a buffer reused by the next call. */
  forward(x: Float32Array): Float32Array {
    const [l1, l2, l3, l4] = this.layers;
    const { patch: s, channels: c, bottleneck: b } = this.shape;
    const t = this.t,
      p = this.params;
    convForward(l1, p, x, s, t.a1);
    reluForward(t.a1);
    poolForward(t.a1, c, s, t.p1);
    convForward(l2, p, t.p1, s / 2, t.a2);
    reluForward(t.a2);
    poolForward(t.a2, b, s / 2, t.p2);
    upForward(t.p2, b, s / 4, t.u1);
    convForward(l3, p, t.u1, s / 2, t.a3);
    reluForward(t.a3);
    upForward(t.a3, c, s / 2, t.u2);
    convForward(l4, p, t.u2, s, t.y);
    return t.y;
  }

  /** Mean squared reconstruction error of `x` (a forward pass). */
  reconstructionError(x: Float32Array): number {
    const y = this.forward(x);
    let sum = 0;
    for (let j = 0; j < x.length; j++) sum += (y[j] - x[j]) ** 2;
    return sum / x.length;
  }

  /**
   * Forward and backward pass of the mean squared reconstruction error of `x`; adds
   * `scale ×` its gradient to {@link grad}.
   * @returns the loss.
   */
  backward(x: Float32Array, scale: number): number {
    const [l1, l2, l3, l4] = this.layers;
    const { patch: s, channels: c, bottleneck: b } = this.shape;
    const t = this.t,
      d = this.d,
      p = this.params,
      g = this.grad;
    const y = this.forward(x);
    let loss = 0;
    for (let j = 0; j < x.length; j++) {
      const e = y[j] - x[j];
      loss += e * e;
      d.y[j] = (2 * e * scale) / x.length;
    }
    convBackward(l4, p, g, t.u2, s, d.y, d.u2);
    upBackward(d.u2, c, s / 2, d.a3);
    reluBackward(t.a3, d.a3);
    convBackward(l3, p, g, t.u1, s / 2, d.a3, d.u1);
    upBackward(d.u1, b, s / 4, d.p2);
    poolBackward(d.p2, b, s / 2, d.a2);
    reluBackward(t.a2, d.a2);
    convBackward(l2, p, g, t.p1, s / 2, d.a2, d.p1);
    poolBackward(d.p1, c, s, d.a1);
    reluBackward(t.a1, d.a1);
    convBackward(l1, p, g, x, s, d.a1, undefined);
    return loss / x.length;
  }

  zeroGrad(): void {
    this.grad.fill(0);
  }
}
