// Losses and metrics against values computed by hand (in float64 here), including fromLogits and class-index labels.
import * as tn from '../../lib';
import { losses, metrics } from '../../lib';
import { expectClose } from '../helpers/gradcheck';

const val = async (t: tn.Tensor) => (await t.data())[0];

const logits = [
  [2.0, -1.0, 0.5],
  [-0.3, 0.8, 1.7],
];
const labels = [0, 2];
const softmaxRow = (r: number[]) => {
  const m = Math.max(...r);
  const e = r.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const probs = logits.map(softmaxRow);
const ce = labels.reduce((s, l, i) => s - Math.log(probs[i][l]), 0) / 2;
const oneHotRows = labels.map((l) => [0, 1, 2].map((c) => (c === l ? 1 : 0)));

describe('losses', () => {
  test('categorical and sparse categorical cross-entropy, from probabilities and from logits', async () => {
    expect(await val(losses.categoricalCrossentropy(tn.tensor(oneHotRows), tn.tensor(probs)))).toBeCloseTo(ce, 5);
    expect(await val(losses.categoricalCrossentropy(tn.tensor(oneHotRows), tn.tensor(logits), { fromLogits: true }))).toBeCloseTo(ce, 5);
    const idx = tn.tensor(labels, [2], { dtype: 'int32' });
    expect(await val(losses.sparseCategoricalCrossentropy(idx, tn.tensor(probs)))).toBeCloseTo(ce, 5);
    expect(await val(losses.sparseCategoricalCrossentropy(idx, tn.tensor(logits), { fromLogits: true }))).toBeCloseTo(ce, 5);
    // float labels shaped [N, 1] work too (Keras accepts them).
    expect(await val(losses.sparseCategoricalCrossentropy(tn.tensor([[0], [2]]), tn.tensor(probs)))).toBeCloseTo(ce, 5);
  });

  test('probability cross-entropy never returns Infinity for a zero probability (clipped as Keras)', async () => {
    const v = await val(losses.categoricalCrossentropy(tn.tensor([[1, 0]]), tn.tensor([[0, 1]])));
    expect(v).toBeCloseTo(-Math.log(1e-7), 3);
  });

  test('binary cross-entropy, mean squared and absolute error', async () => {
    const t = [[1, 0], [0, 1]];
    const p = [[0.9, 0.2], [0.3, 0.6]];
    const bce = -[Math.log(0.9), Math.log(0.8), Math.log(0.7), Math.log(0.6)].reduce((a, b) => a + b, 0) / 4;
    expect(await val(losses.binaryCrossentropy(tn.tensor(t), tn.tensor(p)))).toBeCloseTo(bce, 5);
    const z = p.map((r) => r.map((q) => Math.log(q / (1 - q))));
    expect(await val(losses.binaryCrossentropy(tn.tensor(t), tn.tensor(z), { fromLogits: true }))).toBeCloseTo(bce, 5);
    expect(await val(losses.meanSquaredError(tn.tensor(t), tn.tensor(p)))).toBeCloseTo((0.01 + 0.04 + 0.09 + 0.16) / 4, 6);
    expect(await val(losses.meanAbsoluteError(tn.tensor(t), tn.tensor(p)))).toBeCloseTo((0.1 + 0.2 + 0.3 + 0.4) / 4, 6);
  });

  test('the fused softmax path and the probability path give the same gradient w.r.t. logits', async () => {
    const z1 = tn.tensor(logits, undefined, { requiresGrad: true });
    losses.categoricalCrossentropy(tn.tensor(oneHotRows), z1, { fromLogits: true }).backward();
    const z2 = tn.tensor(logits, undefined, { requiresGrad: true });
    losses.categoricalCrossentropy(tn.tensor(oneHotRows), tn.softmax(z2, -1)).backward();
    // d/dz = (softmax - onehot) / N
    const expected = probs.flatMap((r, i) => r.map((p, c) => (p - oneHotRows[i][c]) / 2));
    expectClose(await z1.grad!.data(), expected, 1e-4, 1e-6);
    expectClose(await z2.grad!.data(), expected, 1e-4, 1e-6);
  });

  test('shape mismatches throw ShapeError', () => {
    expect(() => losses.meanSquaredError(tn.zeros([2, 3]), tn.zeros([3, 2]))).toThrow(tn.ShapeError);
    expect(() => losses.sparseCategoricalCrossentropy(tn.zeros([3], { dtype: 'int32' }), tn.zeros([2, 3]))).toThrow(tn.ShapeError);
  });
});

describe('metrics (tf.metrics: tfjs semantics, values per example)', () => {
  // 6 binary predictions: tp = 2 (idx 0, 3), fp = 1 (idx 1), fn = 1 (idx 4), tn = 2 (idx 2, 5).
  const yTrue = tn.tensor([1, 0, 0, 1, 1, 0], [6, 1]);
  const yPred = tn.tensor([0.9, 0.7, 0.2, 0.6, 0.4, 0.1], [6, 1]);
  const yPredHard = tn.tensor([1, 1, 0, 1, 0, 0], [6, 1]);

  test('binary accuracy per example; precision and recall of 0/1 predictions; F1 (tensornode) thresholds', async () => {
    const acc = metrics.binaryAccuracy(yTrue, yPred);
    expect(acc.shape).toEqual([6]);
    expect(Array.from(await acc.data())).toEqual([1, 0, 1, 1, 0, 1]);
    expect(await val(metrics.precision(yTrue, yPredHard))).toBeCloseTo(2 / 3, 6);
    expect(await val(metrics.recall(yTrue, yPredHard))).toBeCloseTo(2 / 3, 6);
    expect(await val(metrics.f1(yTrue, yPred))).toBeCloseTo(2 / 3, 6);
    // No positive predictions: precision 0, not NaN.
    expect(await val(metrics.precision(yTrue, tn.zeros([6, 1])))).toBe(0);
  });

  test('categorical and sparse categorical accuracy per example', async () => {
    const p = tn.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]);
    expect(Array.from(await metrics.categoricalAccuracy(tn.tensor([[0, 1, 0], [0, 0, 1], [0, 0, 1]]), p).data())).toEqual([1, 0, 1]);
    expect(Array.from(await metrics.sparseCategoricalAccuracy(tn.tensor([1, 2, 2], [3], { dtype: 'int32' }), p).data())).toEqual([1, 0, 1]);
    expect(await val(metrics.accuracy(tn.tensor([1, 0, 2], [3], { dtype: 'int32' }), p))).toBeCloseTo(1, 6);
  });

  test('mse and mae average the last axis', async () => {
    expect(await val(metrics.meanSquaredError(tn.tensor([1, 2, 3]), tn.tensor([1.5, 2, 1])))).toBeCloseTo((0.25 + 4) / 3, 6);
    expect(await val(metrics.meanAbsoluteError(tn.tensor([1, 2, 3]), tn.tensor([1.5, 2, 1])))).toBeCloseTo(2.5 / 3, 6);
    expect(metrics.mse(tn.zeros([4, 3]), tn.ones([4, 3])).shape).toEqual([4]);
  });
});
