// Small seeded models and inputs for the serving tests (random weights: serving needs no training).
import * as tn from '../../lib';
import { randomArray } from '../helpers/gradcheck';

export const SAMPLE = [8, 8, 1];
export const SAMPLE_SIZE = 64;

/** conv 4@3x3 relu -> flatten -> dense 3 softmax on 8x8x1 images, seeded. */
export function smallCnn(seed = 1): tn.Sequential {
  tn.setSeed(seed);
  const m = tn.sequential({
    name: 'small_cnn',
    layers: [
      tn.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: SAMPLE, name: 'conv' }),
      tn.layers.flatten({ name: 'flat' }),
      tn.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }),
    ],
  });
  m.build();
  return m;
}

/** `n` rows of seeded inputs in [0, 1). */
export function rows(n: number, seed: number): Float32Array {
  return randomArray(n * SAMPLE_SIZE, seed, 0, 1);
}

/** The model's own outputs for `x` (n rows), computed in one pass. */
export async function reference(model: tn.Sequential, x: Float32Array): Promise<Float32Array> {
  const n = x.length / SAMPLE_SIZE;
  const t = tn.tensor(x, [n, ...SAMPLE]);
  const y = model.predict(t, { batchSize: n });
  const out = (await y.data()) as Float32Array;
  t.dispose();
  y.dispose();
  return out;
}
