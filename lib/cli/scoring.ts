// Test-set scoring shared by `train` and `evaluate`: predicted probabilities -> accuracy and mean cross-entropy.
import type { ArrayND } from '../data/array';
import { tensor } from '../ops/creation';
import type { LayersModel } from '../models';
import type { Tensor } from '../tensor';

export interface Score {
  accuracy: number;
  loss: number; // mean categorical cross-entropy of the predicted probabilities
  samples: number;
}

/** Class probabilities [N, C] for `images`, read back batch by batch (device memory stays flat). */
export async function predictProbabilities(model: LayersModel, images: ArrayND<Float32Array>, batchSize = 256): Promise<{ probs: Float32Array; classes: number }> {
  const x = tensor(images.data, images.shape, { device: model.device });
  try {
    const y = (await model.predictAsync(x, { batchSize })) as Tensor;
    try {
      return { probs: await y.data() as Float32Array, classes: y.shape[1] };
    } finally {
      y.dispose();
    }
  } finally {
    x.dispose();
  }
}

/** Index of the largest of row `r`'s `c` values (first one on ties). */
export function argmaxRow(p: ArrayLike<number>, r: number, c: number): number {
  let best = 0;
  for (let k = 1; k < c; k++) if (p[r * c + k] > p[r * c + best]) best = k;
  return best;
}

export async function scoreModel(model: LayersModel, images: ArrayND<Float32Array>, labels: ArrayND<Int32Array>): Promise<Score> {
  const n = labels.shape[0];
  if (n === 0) return { accuracy: NaN, loss: NaN, samples: 0 };
  const { probs, classes } = await predictProbabilities(model, images);
  let correct = 0;
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const label = labels.data[r];
    if (argmaxRow(probs, r, classes) === label) correct++;
    loss -= Math.log(Math.max(probs[r * classes + label], 1e-7)); // Keras' clip, so one confident miss stays finite
  }
  return { accuracy: correct / n, loss: loss / n, samples: n };
}
