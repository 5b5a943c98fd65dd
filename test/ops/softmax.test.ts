// softmax / logSoftmax along any axis against a float64 reference, stability on large logits, gradients, errors.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray, sizeOf } from '../helpers/gradcheck';

/** Reference softmax and log-softmax along `axis` in float64. */
function ref(x: Float32Array, shape: number[], axis: number): { sm: number[]; lsm: number[] } {
  const inner = sizeOf(shape.slice(axis + 1));
  const mid = shape[axis];
  const outer = sizeOf(shape.slice(0, axis));
  const sm = new Array<number>(x.length);
  const lsm = new Array<number>(x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const ids = Array.from({ length: mid }, (_, k) => (o * mid + k) * inner + i);
      const mx = Math.max(...ids.map((j) => x[j]));
      const lse = mx + Math.log(ids.reduce((a, j) => a + Math.exp(x[j] - mx), 0));
      for (const j of ids) {
        lsm[j] = x[j] - lse;
        sm[j] = Math.exp(lsm[j]);
      }
    }
  }
  return { sm, lsm };
}

const cases: [number[], number | undefined][] = [
  [[2, 5], undefined],
  [[3, 4], 0],
  [[2, 3, 4], 1],
  [[1, 7], -1],
  [[6], 0],
  [[3, 131], -1],
];

describe('softmax forward', () => {
  test.each(cases)('shape %p axis %p', async (shape, axis) => {
    const x = randomArray(sizeOf(shape), 41, -6, 6);
    const a = axis === undefined ? shape.length - 1 : axis < 0 ? axis + shape.length : axis;
    const { sm, lsm } = ref(x, shape, a);
    expectClose(await tn.softmax(tn.tensor(x, shape), axis).data(), sm, 1e-5, 1e-7);
    expectClose(await tn.logSoftmax(tn.tensor(x, shape), axis).data(), lsm, 1e-5, 1e-5);
  });

  test('large logits do not overflow', async () => {
    const x = tn.tensor([1000, 1000, -1000], [3]);
    expectClose(await tn.softmax(x).data(), [0.5, 0.5, 0], 1e-6, 0);
    expectClose(await tn.logSoftmax(x).data(), [-Math.LN2, -Math.LN2, -2000 - Math.LN2], 1e-6, 0);
  });
});

describe('softmax gradients', () => {
  test.each(cases)('softmax shape %p axis %p', async (shape, axis) => {
    await checkGradients(([x]) => tn.softmax(x, axis), [{ shape, range: [-2, 2] }]);
  });
  test.each(cases)('logSoftmax shape %p axis %p', async (shape, axis) => {
    await checkGradients(([x]) => tn.logSoftmax(x, axis), [{ shape, range: [-2, 2] }]);
  });
});

describe('softmax errors', () => {
  test('axis out of range', () => {
    expect(() => tn.softmax(tn.zeros([2, 3]), 2)).toThrow(tn.ValueError);
  });
  test('scalar input', () => {
    expect(() => tn.logSoftmax(tn.tensor(1, []))).toThrow(tn.ShapeError);
  });
  test('int32 input', () => {
    expect(() => tn.softmax(tn.zeros([3], { dtype: 'int32' }))).toThrow(tn.DTypeError);
  });
});
