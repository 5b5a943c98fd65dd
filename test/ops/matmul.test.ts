// matmul: forward against a naive batched reference (transposes, broadcast batches, batch 1), gradients, errors.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray, sizeOf } from '../helpers/gradcheck';

/** Naive op(A) @ op(B) with NumPy batch broadcasting, in float64. */
function refMatmul(A: Float32Array, as: number[], B: Float32Array, bs: number[], ta: boolean, tb: boolean): { data: Float64Array; shape: number[] } {
  const M = ta ? as[as.length - 1] : as[as.length - 2];
  const K = ta ? as[as.length - 2] : as[as.length - 1];
  const N = tb ? bs[bs.length - 2] : bs[bs.length - 1];
  const ba = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const r = Math.max(ba.length, bb.length);
  const by = Array.from({ length: r }, (_, i) => Math.max(ba[ba.length - r + i] ?? 1, bb[bb.length - r + i] ?? 1));
  const nb = sizeOf(by);
  const out = new Float64Array(nb * M * N);
  const offset = (shape: number[], idx: number[]): number => {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o = o * shape[d] + (shape[d] === 1 ? 0 : idx[by.length - shape.length + d]);
    return o;
  };
  for (let i = 0; i < nb; i++) {
    const idx: number[] = [];
    let rem = i;
    for (let d = by.length - 1; d >= 0; d--) {
      idx[d] = rem % by[d];
      rem = Math.floor(rem / by[d]);
    }
    const oa = offset(ba, idx) * M * K;
    const ob = offset(bb, idx) * K * N;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[oa + (ta ? k * M + m : m * K + k)] * B[ob + (tb ? n * K + k : k * N + n)];
        out[i * M * N + m * N + n] = s;
      }
    }
  }
  return { data: out, shape: [...by, M, N] };
}

const cases: [number[], number[]][] = [
  [[3, 5], [5, 7]],
  [[1, 1], [1, 1]],
  [[2, 3, 4], [4, 5]],
  [[4, 5], [2, 5, 3]],
  [[2, 1, 3, 4], [5, 4, 2]],
  [[3, 17, 33], [3, 33, 9]],
  [[40, 2, 3], [40, 3, 2]],
  [[1, 70, 45], [45, 31]],
];

describe('matmul forward', () => {
  for (const [as, bs] of cases) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        test(`[${as}] x [${bs}] transposeA=${ta} transposeB=${tb}`, async () => {
          const sa = ta ? [...as.slice(0, -2), as[as.length - 1], as[as.length - 2]] : as;
          const sb = tb ? [...bs.slice(0, -2), bs[bs.length - 1], bs[bs.length - 2]] : bs;
          const A = randomArray(sizeOf(sa), 11);
          const B = randomArray(sizeOf(sb), 12);
          const ref = refMatmul(A, sa, B, sb, ta, tb);
          const y = tn.matmul(tn.tensor(A, sa), tn.tensor(B, sb), { transposeA: ta, transposeB: tb });
          expect(y.shape).toEqual(ref.shape);
          expectClose(await y.data(), ref.data, 1e-5, 1e-5);
        });
      }
    }
  }

  test('K = 0 gives zeros', async () => {
    const y = tn.matmul(tn.zeros([3, 0]), tn.zeros([0, 2]));
    expect(Array.from(await y.data())).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('matmul gradients', () => {
  const gradCases: [number[], number[], boolean, boolean][] = [
    [[3, 4], [4, 5], false, false],
    [[4, 3], [4, 5], true, false],
    [[3, 4], [5, 4], false, true],
    [[4, 3], [5, 4], true, true],
    [[2, 3, 4], [4, 2], false, false], // shared b: folded dB path
    [[2, 3, 4], [2, 4], false, true], // shared b transposed
    [[2, 1, 3, 4], [3, 4, 2], false, false], // both broadcast
    [[1, 4, 3], [2, 4, 2], true, false],
  ];
  test.each(gradCases)('a [%p] b [%p] ta=%p tb=%p', async (sa, sb, ta, tb) => {
    await checkGradients(([a, b]) => tn.matmul(a, b, { transposeA: ta, transposeB: tb }), [{ shape: sa }, { shape: sb }]);
  });
});

describe('matmul errors', () => {
  test('inner dimension mismatch', () => {
    expect(() => tn.matmul(tn.zeros([2, 3]), tn.zeros([4, 2]))).toThrow(tn.ShapeError);
    expect(() => tn.matmul(tn.zeros([2, 3]), tn.zeros([4, 2]))).toThrow(/inner dimensions.*K=3.*K=4/);
  });
  test('rank below 2', () => {
    expect(() => tn.matmul(tn.zeros([3]), tn.zeros([3, 2]))).toThrow(/'a' must have rank >= 2/);
  });
  test('batch dims that do not broadcast', () => {
    expect(() => tn.matmul(tn.zeros([2, 2, 3]), tn.zeros([3, 3, 2]))).toThrow(tn.ShapeError);
  });
  test('int32 operands', () => {
    expect(() => tn.matmul(tn.zeros([2, 2], { dtype: 'int32' }), tn.zeros([2, 2]))).toThrow(tn.DTypeError);
  });
  test('transposes that are not booleans (tfjs passes them positionally)', () => {
    const a = tn.ones([2, 2]);
    expect(() => tn.matmul(a, a, { transposeA: 1 as unknown as boolean })).toThrow(/'transposeA' must be a boolean, got 1/);
    expect(() => tn.matmul(a, a, 'yes' as unknown as boolean)).toThrow(tn.ValueError);
    expect(() => tn.matmul(a, a, false, 'no' as unknown as boolean)).toThrow(/'transposeB' must be a boolean/);
  });
});
