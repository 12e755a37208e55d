/*
 * The layers of the encoder–decoder, forward and backward, over planar tensors: a Float32Array of
 * `channels × side × side`, channel-major. Written as plain loops over contiguous rows so that V8
 * keeps them in registers; no allocation happens here (callers own every buffer).
 */

/** A 3×3 convolution's weights inside a flat parameter vector. */
export interface Conv3x3 {
  readonly inC: number;
  readonly outC: number;
  /** Offset of the `outC × inC × 3 × 3` kernel in the parameter vector. */
  readonly w: number;
  /** Offset of the `outC` biases. */
  readonly b: number;
}

/** `out = conv(input)` with zero padding ("same" size). */
export function convForward(l: Conv3x3, p: Float32Array, input: Float32Array, side: number, out: Float32Array): void {
  const plane = side * side;
  for (let o = 0; o < l.outC; o++) {
    out.fill(p[l.b + o], o * plane, (o + 1) * plane);
    for (let i = 0; i < l.inC; i++) {
      for (let k = 0; k < 9; k++) {
        const wv = p[l.w + (o * l.inC + i) * 9 + k];
        const dy = ((k / 3) | 0) - 1,
          dx = (k % 3) - 1;
        const y0 = Math.max(0, -dy),
          y1 = Math.min(side, side - dy);
        const x0 = Math.max(0, -dx),
          x1 = Math.min(side, side - dx);
        for (let y = y0; y < y1; y++) {
          const ro = o * plane + y * side,
            ri = i * plane + (y + dy) * side + dx;
          for (let x = x0; x < x1; x++) out[ro + x] += wv * input[ri + x];
        }
      }
    }
  }
}

/**
 * Backward pass of {@link convForward}: adds the kernel and bias gradients to `g` and, when
 * `dIn` is given, writes the gradient with respect to the input into it.
 */
export function convBackward(l: Conv3x3, p: Float32Array, g: Float32Array, input: Float32Array, side: number, dOut: Float32Array, dIn: Float32Array | undefined): void {
  const plane = side * side;
  dIn?.fill(0);
  for (let o = 0; o < l.outC; o++) {
    let db = 0;
    for (let j = o * plane; j < (o + 1) * plane; j++) db += dOut[j];
    g[l.b + o] += db;
    for (let i = 0; i < l.inC; i++) {
      for (let k = 0; k < 9; k++) {
        const wi = l.w + (o * l.inC + i) * 9 + k;
        const wv = p[wi];
        const dy = ((k / 3) | 0) - 1,
          dx = (k % 3) - 1;
        const y0 = Math.max(0, -dy),
          y1 = Math.min(side, side - dy);
        const x0 = Math.max(0, -dx),
          x1 = Math.min(side, side - dx);
        let dw = 0;
        for (let y = y0; y < y1; y++) {
          const ro = o * plane + y * side,
            ri = i * plane + (y + dy) * side + dx;
          for (let x = x0; x < x1; x++) {
            const d = dOut[ro + x];
            dw += d * input[ri + x];
            if (dIn !== undefined) dIn[ri + x] += wv * d;
          }
        }
        g[wi] += dw;
      }
    }
  }
}

/** ReLU in place. */
export function reluForward(t: Float32Array): void {
  for (let j = 0; j < t.length; j++) if (t[j] < 0) t[j] = 0;
}

/** Zeroes the gradient where the ReLU's output was zero. */
export function reluBackward(out: Float32Array, d: Float32Array): void {
  for (let j = 0; j < d.length; j++) if (out[j] <= 0) d[j] = 0;
}

/** 2×2 average pooling: `side` → `side / 2`. */
export function poolForward(input: Float32Array, channels: number, side: number, out: Float32Array): void {
  const half = side >> 1;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < half; y++) {
      for (let x = 0; x < half; x++) {
        const r = c * side * side + 2 * y * side + 2 * x;
        out[c * half * half + y * half + x] = 0.25 * (input[r] + input[r + 1] + input[r + side] + input[r + side + 1]);
      }
    }
  }
}

/** Backward pass of {@link poolForward}. */
export function poolBackward(dOut: Float32Array, channels: number, side: number, dIn: Float32Array): void {
  const half = side >> 1;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        dIn[c * side * side + y * side + x] = 0.25 * dOut[c * half * half + (y >> 1) * half + (x >> 1)];
      }
    }
  }
}

/** Nearest-neighbour 2× upsampling: `side` → `side * 2`. */
export function upForward(input: Float32Array, channels: number, side: number, out: Float32Array): void {
  const twice = side * 2;
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < twice; y++) {
      for (let x = 0; x < twice; x++) {
        out[c * twice * twice + y * twice + x] = input[c * side * side + (y >> 1) * side + (x >> 1)];
      }
    }
  }
}

/** Backward pass of {@link upForward}: each input pixel collects its four copies' gradients. */
export function upBackward(dOut: Float32Array, channels: number, side: number, dIn: Float32Array): void {
  const twice = side * 2;
  dIn.fill(0);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < twice; y++) {
      for (let x = 0; x < twice; x++) {
        dIn[c * side * side + (y >> 1) * side + (x >> 1)] += dOut[c * twice * twice + y * twice + x];
      }
    }
  }
}
