import { describe, expect, it } from 'vitest';
import { Prng } from '../src/data/prng.js';
import { EncoderDecoder } from '../src/model/encoder-decoder.js';

describe('EncoderDecoder', () => {
  describe('.backward', () => {
    it('matches the numerical gradient of the reconstruction error for every layer', () => {
      const model = new EncoderDecoder({ patch: 8, channels: 3, bottleneck: 2 }, 3);
      const rng = new Prng(5);
      const x = new Float32Array(64).map(() => rng.gaussian());
      model.zeroGrad();
      model.backward(x, 1);
      // A few weights and biases of each of the four convolutions (the last index is the output bias).
      for (const j of [0, 5, 29, 40, 60, 100, 130, 160, model.params.length - 1]) {
        const saved = model.params[j]!;
        const h = 1e-2;
        model.params[j] = saved + h;
        const plus = model.reconstructionError(x);
        model.params[j] = saved - h;
        const minus = model.reconstructionError(x);
        model.params[j] = saved;
        expect(model.grad[j]).toBeCloseTo((plus - minus) / (2 * h), 3);
      }
    });
  });

  describe('.save / .load', () => {
    it('round-trips the weights', () => {
      const model = new EncoderDecoder({ patch: 16, channels: 4, bottleneck: 2 }, 9);
      const copy = EncoderDecoder.load(JSON.parse(JSON.stringify(model.save(1.5))));
      const x = new Float32Array(256).fill(0.5);
      expect(copy.reconstructionError(x)).toBe(model.reconstructionError(x));
    });
  });
});
