// Losses: softmaxCrossEntropy (indices / soft labels), binaryCrossEntropy (logits / probabilities), mse, against
// float64 references for every reduction; gradients by finite differences (soft targets too); errors.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray } from '../helpers/gradcheck';

const reduce = (v: number[], r: string): number[] => (r === 'none' ? v : r === 'sum' ? [v.reduce((a, b) => a + b, 0)] : [v.reduce((a, b) => a + b, 0) / v.length]);
const reductions = ['mean', 'sum', 'none'] as const;

function refSce(z: Float32Array, N: number, C: number, label: (n: number, c: number) => number): number[] {
  return Array.from({ length: N }, (_, n) => {
    const row = Array.from(z.slice(n * C, (n + 1) * C));
    const mx = Math.max(...row);
    const lse = mx + Math.log(row.reduce((a, v) => a + Math.exp(v - mx), 0));
    return row.reduce((a, v, c) => a + label(n, c) * (lse - v), 0);
  });
}

describe('softmaxCrossEntropy', () => {
  for (const [N, C] of [[4, 5], [1, 3], [7, 1], [3, 40]]) {
    for (const reduction of reductions) {
      test(`int labels [${N},${C}] ${reduction}`, async () => {
        const z = randomArray(N * C, 100 + N, -4, 4);
        const lab = Array.from(randomArray(N, 200 + C, 0, C), Math.floor);
        const y = tn.softmaxCrossEntropy(tn.tensor(z, [N, C]), tn.tensor(lab, [N], { dtype: 'int32' }), { reduction });
        expect(y.shape).toEqual(reduction === 'none' ? [N] : []);
        expectClose(await y.data(), reduce(refSce(z, N, C, (n, c) => (c === lab[n] ? 1 : 0)), reduction), 1e-5, 1e-5);
      });
      test(`soft labels [${N},${C}] ${reduction}`, async () => {
        const z = randomArray(N * C, 300 + N, -4, 4);
        const t = randomArray(N * C, 400 + C, 0, 1);
        const y = tn.softmaxCrossEntropy(tn.tensor(z, [N, C]), tn.tensor(t, [N, C]), { reduction });
        expectClose(await y.data(), reduce(refSce(z, N, C, (n, c) => t[n * C + c]), reduction), 1e-5, 1e-5);
      });
    }
  }

  test('gradients: logits with int labels, logits and soft labels', async () => {
    const lab = tn.tensor([2, 0, 1], [3], { dtype: 'int32' });
    await checkGradients(([z]) => tn.softmaxCrossEntropy(z, lab, { reduction: 'none' }), [{ shape: [3, 4], range: [-2, 2] }]);
    await checkGradients(([z]) => tn.softmaxCrossEntropy(z, lab), [{ shape: [3, 4], range: [-2, 2] }]);
    await checkGradients(([z, t]) => tn.softmaxCrossEntropy(z, t, { reduction: 'sum' }), [{ shape: [2, 5], range: [-2, 2] }, { shape: [2, 5], range: [0, 1] }]);
  });

  test('errors', () => {
    const z = tn.zeros([3, 4]);
    expect(() => tn.softmaxCrossEntropy(z, tn.zeros([4], { dtype: 'int32' }))).toThrow(tn.ShapeError);
    expect(() => tn.softmaxCrossEntropy(z, tn.zeros([3, 5]))).toThrow(tn.ShapeError);
    expect(() => tn.softmaxCrossEntropy(tn.zeros([4]), tn.zeros([4]))).toThrow(/rank 2/);
    expect(() => tn.softmaxCrossEntropy(z, tn.zeros([3], { dtype: 'int32' }), { reduction: 'avg' as never })).toThrow(/reduction/);
  });

  test('a label outside [0, C) is reported by the device', async () => {
    const y = tn.softmaxCrossEntropy(tn.zeros([2, 3]), tn.tensor([0, 3], [2], { dtype: 'int32' }), { reduction: 'none' });
    await expect(y.data()).rejects.toThrow(/label 3 at row 1 is outside \[0, 3\)/);
  });
});

describe('binaryCrossEntropy', () => {
  const n = 23;
  for (const reduction of reductions) {
    test(`fromLogits ${reduction}`, async () => {
      const x = randomArray(n, 501, -6, 6);
      const t = randomArray(n, 502, 0, 1);
      const ref = Array.from(x, (v, i) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - v * t[i]);
      const y = tn.binaryCrossEntropy(tn.tensor(x, [n]), tn.tensor(t, [n]), { fromLogits: true, reduction });
      expectClose(await y.data(), reduce(ref, reduction), 1e-5, 1e-5);
    });
    test(`probabilities ${reduction}`, async () => {
      const p = randomArray(n, 503, 0.01, 0.99);
      const t = randomArray(n, 504, 0, 1);
      const ref = Array.from(p, (v, i) => -(t[i] * Math.log(v) + (1 - t[i]) * Math.log(1 - v)));
      const y = tn.binaryCrossEntropy(tn.tensor(p, [n]), tn.tensor(t, [n]), { reduction });
      expectClose(await y.data(), reduce(ref, reduction), 1e-5, 1e-5);
    });
  }
  test('log is clamped at -100 (as PyTorch)', async () => {
    const y = tn.binaryCrossEntropy(tn.tensor([0, 1], [2]), tn.tensor([1, 0], [2]), { reduction: 'none' });
    expect(Array.from(await y.data())).toEqual([100, 100]);
  });
  test('gradients (x and a soft target)', async () => {
    await checkGradients(([x, t]) => tn.binaryCrossEntropy(x, t, { fromLogits: true }), [{ shape: [3, 2], range: [-3, 3] }, { shape: [3, 2], range: [0, 1] }]);
    await checkGradients(([p, t]) => tn.binaryCrossEntropy(p, t, { reduction: 'sum' }), [{ shape: [5], range: [0.1, 0.9] }, { shape: [5], range: [0, 1] }], { eps: 1e-3 });
  });
  test('errors', () => {
    expect(() => tn.binaryCrossEntropy(tn.zeros([3]), tn.zeros([4]))).toThrow(tn.ShapeError);
    expect(() => tn.binaryCrossEntropy(tn.zeros([3]), tn.zeros([3], { dtype: 'int32' }))).toThrow(tn.DTypeError);
  });
});

describe('mse', () => {
  for (const reduction of reductions) {
    test.each([[[7]], [[3, 4]], [[1, 5]]])(`shape %p ${reduction}`, async (shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const a = randomArray(size, 601);
      const b = randomArray(size, 602);
      const y = tn.mse(tn.tensor(a, shape), tn.tensor(b, shape), { reduction });
      expectClose(await y.data(), reduce(Array.from(a, (v, i) => (v - b[i]) ** 2), reduction), 1e-5, 1e-6);
    });
  }
  test('gradients of prediction and target', async () => {
    await checkGradients(([a, b]) => tn.mse(a, b), [{ shape: [3, 4] }, { shape: [3, 4] }]);
    await checkGradients(([a, b]) => tn.mse(a, b, { reduction: 'none' }), [{ shape: [5] }, { shape: [5] }]);
  });
  test('errors', () => {
    expect(() => tn.mse(tn.zeros([3]), tn.zeros([1, 3]))).toThrow(tn.ShapeError);
  });
});
