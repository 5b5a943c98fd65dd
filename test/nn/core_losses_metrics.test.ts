// tf.losses (with weights and every Reduction) and tf.metrics against @tensorflow/tfjs on the same random inputs,
// and the gradients of the losses against tfjs's.
import * as tf from '@tensorflow/tfjs';
import * as tn from '../../lib';

function rand(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 16777216) * (hi - lo);
  });
}

async function close(ours: tn.Tensor, theirs: tf.Tensor, tol = 1e-4): Promise<void> {
  expect(ours.shape).toEqual(theirs.shape);
  const a = await ours.data();
  const b = await theirs.data();
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]))));
}

const reductions = [tn.Reduction.NONE, tn.Reduction.MEAN, tn.Reduction.SUM, tn.Reduction.SUM_BY_NONZERO_WEIGHTS];
const probs = (n: number, seed: number) => rand(n, seed, 0.05, 0.95);
const bits = (n: number, seed: number) => rand(n, seed).map((v) => (v > 0 ? 1 : 0));

type LossCase = [string, (lib: typeof tf, l: tf.Tensor, p: tf.Tensor, w: tf.Tensor | undefined, r: number) => tf.Tensor, () => [number[], number[]]];
const lossCases: LossCase[] = [
  ['absoluteDifference', (lib, l, p, w, r) => lib.losses.absoluteDifference(l, p, w, r), () => [rand(12, 1), rand(12, 2)]],
  ['meanSquaredError', (lib, l, p, w, r) => lib.losses.meanSquaredError(l, p, w, r), () => [rand(12, 3), rand(12, 4)]],
  ['cosineDistance', (lib, l, p, w, r) => lib.losses.cosineDistance(l, p, 1, w && lib.slice(w, [0, 0], [3, 1]), r), () => [rand(12, 5), rand(12, 6)]],
  ['hingeLoss', (lib, l, p, w, r) => lib.losses.hingeLoss(l, p, w, r), () => [bits(12, 7), rand(12, 8)]],
  ['huberLoss', (lib, l, p, w, r) => lib.losses.huberLoss(l, p, w, 0.5, r), () => [rand(12, 9), rand(12, 10, -2, 2)]],
  ['logLoss', (lib, l, p, w, r) => lib.losses.logLoss(l, p, w, 1e-7, r), () => [bits(12, 11), probs(12, 12)]],
  ['sigmoidCrossEntropy', (lib, l, p, w, r) => lib.losses.sigmoidCrossEntropy(l, p, w, 0.1, r), () => [bits(12, 13), rand(12, 14, -3, 3)]],
  ['softmaxCrossEntropy', (lib, l, p, w, r) => lib.losses.softmaxCrossEntropy(l, p, w && lib.slice(w, [0, 0], [3, 1]).reshape([3]), 0.2, r), () => [[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], rand(12, 15, -3, 3)]],
];

describe('tf.losses as tfjs', () => {
  const weights = [0, 1, 2, 0.5, 0, 1, 1, 1, 3, 0, 2, 1];
  test.each(lossCases)('%s: values for every reduction, with and without weights; gradients', async (_name, fn, data) => {
    const [lv, pv] = data();
    for (const r of reductions) {
      for (const withWeights of [false, true]) {
        const ours = fn(tn as unknown as typeof tf, tn.tensor2d(lv, [3, 4]) as never, tn.tensor2d(pv, [3, 4]) as never, withWeights ? (tn.tensor2d(weights, [3, 4]) as never) : undefined, r) as unknown as tn.Tensor;
        const theirs = fn(tf, tf.tensor2d(lv, [3, 4]), tf.tensor2d(pv, [3, 4]), withWeights ? tf.tensor2d(weights, [3, 4]) : undefined, r);
        await close(ours, theirs);
      }
    }
    const g = tn.grad((p: tn.Tensor) => fn(tn as unknown as typeof tf, tn.tensor2d(lv, [3, 4]) as never, p as never, undefined, tn.Reduction.MEAN) as unknown as tn.Tensor);
    const tg = tf.grad((p: tf.Tensor) => fn(tf, tf.tensor2d(lv, [3, 4]), p, undefined, tf.Reduction.MEAN));
    await close(g(tn.tensor2d(pv, [3, 4])), tg(tf.tensor2d(pv, [3, 4])));
  });

  test('typed errors', () => {
    expect(() => tn.losses.meanSquaredError(tn.zeros([2, 3]), tn.zeros([3, 2]))).toThrow(tn.ShapeError);
    expect(() => tn.losses.computeWeightedLoss(tn.zeros([2]), undefined, 9 as tn.Reduction)).toThrow(/unknown reduction/);
    expect(() => tn.losses.absoluteDifference(null as never, tn.zeros([1]))).toThrow(tn.ValueError);
  });
});

describe('tf.metrics as tfjs', () => {
  const names = [
    'binaryAccuracy', 'binaryCrossentropy', 'categoricalAccuracy', 'categoricalCrossentropy', 'cosineProximity', 'meanAbsoluteError',
    'meanAbsolutePercentageError', 'meanSquaredError', 'precision', 'recall', 'r2Score', 'MAPE', 'MSE', 'mape', 'mse',
  ] as const;
  test.each(names)('%s', async (name) => {
    const hard = name === 'precision' || name === 'recall';
    const yt = hard || name.startsWith('binary') ? bits(15, 21) : probs(15, 21);
    const yp = hard ? bits(15, 22) : probs(15, 22);
    const ours = (tn.metrics as Record<string, (a: tn.Tensor, b: tn.Tensor) => tn.Tensor>)[name](tn.tensor2d(yt, [5, 3]), tn.tensor2d(yp, [5, 3]));
    const theirs = (tf.metrics as unknown as Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor>)[name](tf.tensor2d(yt, [5, 3]), tf.tensor2d(yp, [5, 3]));
    await close(ours, theirs);
  });

  test('sparseCategoricalAccuracy with int labels of rank 1 and 2', async () => {
    const p = probs(12, 31);
    for (const shape of [[4], [4, 1]]) {
      const labels = [0, 2, 1, 2];
      await close(
        tn.metrics.sparseCategoricalAccuracy(tn.tensor(labels, shape), tn.tensor2d(p, [4, 3])),
        tf.metrics.sparseCategoricalAccuracy(tf.tensor(labels, shape), tf.tensor2d(p, [4, 3])),
      );
    }
  });
});
