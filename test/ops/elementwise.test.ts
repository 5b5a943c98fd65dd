// Elementwise ops: forward against scalar references (with broadcasting), gradients by finite differences, errors.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray, sizeOf } from '../helpers/gradcheck';

/** Reference broadcasting: maps an output index to the flat index of an input of shape `inShape`. */
function broadcastIndex(outShape: number[], inShape: number[], i: number): number {
  let idx = 0;
  let stride = 1;
  let rem = i;
  const off = outShape.length - inShape.length;
  const coords = outShape.map(() => 0);
  for (let d = outShape.length - 1; d >= 0; d--) {
    coords[d] = rem % outShape[d];
    rem = Math.floor(rem / outShape[d]);
  }
  for (let d = inShape.length - 1; d >= 0; d--) {
    idx += (inShape[d] === 1 ? 0 : coords[d + off]) * stride;
    stride *= inShape[d];
  }
  return idx;
}

const binaries: [string, (a: tn.Tensor, b: tn.Tensor) => tn.Tensor, (a: number, b: number) => number][] = [
  ['add', tn.add, (a, b) => a + b],
  ['sub', tn.sub, (a, b) => a - b],
  ['mul', tn.mul, (a, b) => a * b],
  ['div', tn.div, (a, b) => a / b],
  ['pow', tn.pow, (a, b) => Math.pow(a, b)],
  ['maximum', tn.maximum, (a, b) => Math.max(a, b)],
  ['minimum', tn.minimum, (a, b) => Math.min(a, b)],
];

const shapePairs: [number[], number[], number[]][] = [
  [[7], [7], [7]],
  [[3, 5], [5], [3, 5]],
  [[2, 1, 4], [3, 1], [2, 3, 4]],
  [[1], [2, 3], [2, 3]],
  [[1, 3, 1], [1, 1, 5], [1, 3, 5]],
];

describe('binary ops forward', () => {
  for (const [name, op, ref] of binaries) {
    test.each(shapePairs)(`${name} %p with %p`, async (sa, sb, so) => {
      const positive = name === 'pow' || name === 'div';
      const da = randomArray(sizeOf(sa), 1, positive ? 0.5 : -2, 2);
      const db = randomArray(sizeOf(sb), 2, positive ? 0.5 : -2, 2);
      const y = op(tn.tensor(da, sa), tn.tensor(db, sb));
      expect(y.shape).toEqual(so);
      const expected = Array.from({ length: sizeOf(so) }, (_, i) => ref(da[broadcastIndex(so, sa, i)], db[broadcastIndex(so, sb, i)]));
      expectClose(await y.data(), expected, 1e-5, 1e-6);
    });
  }

  test('int32 add keeps int32', async () => {
    const y = tn.add(tn.tensor([1, 2, 3], [3], { dtype: 'int32' }), tn.tensor([10], [1], { dtype: 'int32' }));
    expect(y.dtype).toBe('int32');
    expect(Array.from(await y.data())).toEqual([11, 12, 13]);
  });

  test('numbers are scalars', async () => {
    const x = tn.tensor([1, 2, 3]);
    expect(Array.from(await tn.sub(10, x).data())).toEqual([9, 8, 7]);
    expect(Array.from(await tn.mul(x, 2).data())).toEqual([2, 4, 6]);
  });

  test('comparisons give float 0/1', async () => {
    const a = tn.tensor([1, 2, 3, 4]);
    const b = tn.tensor([4, 2, 2, 1]);
    expect(Array.from(await tn.equal(a, b).data())).toEqual([0, 1, 0, 0]);
    expect(Array.from(await tn.greater(a, b).data())).toEqual([0, 0, 1, 1]);
    expect(Array.from(await tn.greaterEqual(a, b).data())).toEqual([0, 1, 1, 1]);
    expect(Array.from(await tn.less(a, b).data())).toEqual([1, 0, 0, 0]);
    expect(Array.from(await tn.lessEqual(a, b).data())).toEqual([1, 1, 0, 0]);
  });
});

const erf = (x: number): number => {
  // Abramowitz-Stegun 7.1.26 is too coarse for 1e-5; integrate the series instead.
  let sum = x;
  let term = x;
  for (let n = 1; n < 60; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};

const unaries: [string, (x: tn.Tensor) => tn.Tensor, (x: number) => number, [number, number]][] = [
  ['neg', tn.neg, (x) => -x, [-2, 2]],
  ['exp', tn.exp, Math.exp, [-2, 2]],
  ['log', tn.log, Math.log, [0.2, 3]],
  ['sqrt', tn.sqrt, Math.sqrt, [0.2, 3]],
  ['square', tn.square, (x) => x * x, [-2, 2]],
  ['abs', tn.abs, Math.abs, [-2, 2]],
  ['relu', tn.relu, (x) => Math.max(x, 0), [-2, 2]],
  ['leakyRelu', (x) => tn.leakyRelu(x, 0.1), (x) => (x > 0 ? x : 0.1 * x), [-2, 2]],
  ['sigmoid', tn.sigmoid, (x) => 1 / (1 + Math.exp(-x)), [-4, 4]],
  ['tanh', tn.tanh, Math.tanh, [-2, 2]],
  ['gelu', tn.gelu, (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)), [-2, 2]],
  ['clip', (x) => tn.clip(x, -0.5, 0.7), (x) => Math.min(Math.max(x, -0.5), 0.7), [-2, 2]],
  ['scale', (x) => tn.scale(x, 3, -1), (x) => 3 * x - 1, [-2, 2]],
];

describe('unary ops', () => {
  for (const [name, op, ref, range] of unaries) {
    test.each([[[1]], [[13]], [[3, 7]], [[2, 3, 5]]])(`${name} forward %p`, async (shape) => {
      const d = randomArray(sizeOf(shape), 7, ...range);
      const y = op(tn.tensor(d, shape));
      expect(y.shape).toEqual(shape);
      expectClose(await y.data(), Array.from(d, ref), 1e-5, 1e-6);
    });
    test(`${name} gradient`, async () => {
      // Inputs kept off kinks (0 for relu/abs, the clip bounds) so finite differences are valid.
      const data = randomArray(12, 11, ...range).map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
      const clipped = data.map((v) => (Math.abs(v + 0.5) < 0.05 || Math.abs(v - 0.7) < 0.05 ? v + 0.1 : v));
      await checkGradients(([x]) => op(x), [{ shape: [3, 4], data: Float32Array.from(clipped) }]);
    });
  }
});

describe('binary op gradients with broadcasting', () => {
  for (const [name, op] of binaries) {
    test.each(shapePairs)(`${name} %p with %p`, async (sa, sb) => {
      const positive = name === 'pow' || name === 'div';
      const range: [number, number] = positive ? [0.5, 2] : [-2, 2];
      await checkGradients(([a, b]) => op(a, b), [
        { shape: sa, range },
        // Offset b so maximum/minimum have no ties.
        { shape: sb, data: randomArray(sizeOf(sb), 99, ...range).map((v) => v + 0.013) },
      ]);
    });
  }
});

describe('errors', () => {
  test('shape mismatch names op and shapes', () => {
    expect(() => tn.add(tn.ones([2, 3]), tn.ones([4]))).toThrow(tn.ShapeError);
    expect(() => tn.add(tn.ones([2, 3]), tn.ones([4]))).toThrow(/add: shapes \[2,3\] and \[4\]/);
  });
  test('dtype mismatch', () => {
    // Mixed dtypes promote as in tfjs (int32 + float32 -> float32); float-only ops reject int32 with a DTypeError.
    expect(tn.add(tn.ones([2]), tn.ones([2], { dtype: 'int32' })).dtype).toBe('float32');
    expect(() => tn.log(tn.ones([2], { dtype: 'int32' }))).toThrow(/log: argument 'x' must be float32, got int32/);
  });
  test('disposed tensor', () => {
    const x = tn.ones([2]);
    x.dispose();
    expect(() => tn.relu(x)).toThrow(tn.DisposedError);
  });
  test('bad numbers', () => {
    expect(() => tn.clip(tn.ones([2]), 1, 0)).toThrow(tn.ValueError);
    expect(() => tn.leakyRelu(tn.ones([2]), NaN)).toThrow(tn.ValueError);
    expect(() => tn.add(tn.ones([2]), 'x' as unknown as number)).toThrow(tn.ValueError);
  });
});
