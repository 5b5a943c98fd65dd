// Reductions: sum/mean/max/min over any axes (keepDims) and argmax against naive references, gradients, errors.
import * as tn from '../../lib';
import { checkGradients, expectClose, randomArray, sizeOf } from '../helpers/gradcheck';

function unravel(i: number, shape: number[]): number[] {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

type Kind = 'sum' | 'mean' | 'max' | 'min';

/** Reference reduction in float64 over sorted axes; returns the reduced (keepDims-free) values. */
function refReduce(x: Float32Array, shape: number[], axes: number[], kind: Kind): number[] {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const out = new Array<number>(sizeOf(outShape)).fill(kind === 'max' ? -Infinity : kind === 'min' ? Infinity : 0);
  for (let i = 0; i < x.length; i++) {
    const kept = unravel(i, shape).filter((_, d) => !axes.includes(d));
    let j = 0;
    kept.forEach((v, d) => (j = j * outShape[d] + v));
    out[j] = kind === 'max' ? Math.max(out[j], x[i]) : kind === 'min' ? Math.min(out[j], x[i]) : out[j] + x[i];
  }
  const count = sizeOf(axes.map((a) => shape[a]));
  return kind === 'mean' ? out.map((v) => v / count) : out;
}

const ops: Record<Kind, typeof tn.sum> = { sum: tn.sum, mean: tn.mean, max: tn.max, min: tn.min };
const cases: [number[], number | number[] | undefined][] = [
  [[7], 0],
  [[3, 4], 1],
  [[3, 4], 0],
  [[3, 4], undefined],
  [[2, 3, 4], -1],
  [[2, 3, 4], [0, 2]],
  [[3, 1, 5, 7], [2, 0]],
  [[2, 3, 4, 5], [1, 3]],
  [[4, 3, 129], 0],
  [[1, 7, 1], [0, 2]],
  [[3, 2, 5, 2, 3], [0, 2, 4]],
];

describe('reductions forward', () => {
  for (const kind of Object.keys(ops) as Kind[]) {
    test.each(cases)(`${kind} of %p over %p`, async (shape, axis) => {
      const x = randomArray(sizeOf(shape), 21, -3, 3);
      const rank = shape.length;
      const axes = axis === undefined ? shape.map((_, i) => i) : (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort();
      const expected = refReduce(x, shape, axes, kind);
      const y = ops[kind](tn.tensor(x, shape), axis);
      expect(y.shape).toEqual(shape.filter((_, d) => !axes.includes(d)));
      expectClose(await y.data(), expected, 1e-5, 1e-5);
      const yk = ops[kind](tn.tensor(x, shape), axis, true);
      expect(yk.shape).toEqual(shape.map((d, i) => (axes.includes(i) ? 1 : d)));
      expectClose(await yk.data(), expected, 1e-5, 1e-5);
    });
  }

  test('long sums stay accurate (double accumulation)', async () => {
    const n = 1 << 21;
    const y = tn.sum(tn.full([n], 0.1));
    expectClose(await y.data(), [Math.fround(0.1) * n], 1e-6, 0);
  });

  test('sum over no axes of a scalar is the value', async () => {
    expect(Array.from(await tn.sum(tn.tensor(2.5, [])).data())).toEqual([2.5]);
  });
});

describe('argmax', () => {
  test.each([[[5], 0], [[3, 7], 1], [[3, 7], 0], [[2, 3, 4], 1], [[2, 3, 4], -1], [[1, 9], -1]] as [number[], number][])(
    'shape %p axis %p (ties: first wins)',
    async (shape, axis) => {
      const x = randomArray(sizeOf(shape), 31, 0, 4).map(Math.floor); // small integers: many ties
      const a = axis < 0 ? axis + shape.length : axis;
      const outShape = shape.filter((_, d) => d !== a);
      const expected = Array.from({ length: sizeOf(outShape) }, (_, j) => {
        const idx = unravel(j, outShape);
        const at = (k: number): number => {
          const full = [...idx.slice(0, a), k, ...idx.slice(a)];
          return full.reduce((o, v, d) => o * shape[d] + v, 0);
        };
        let best = 0;
        for (let k = 1; k < shape[a]; k++) if (x[at(k)] > x[at(best)]) best = k;
        return best;
      });
      const y = tn.argmax(tn.tensor(x, shape), axis);
      expect(y.dtype).toBe('int32');
      expect(y.shape).toEqual(outShape);
      expect(Array.from(await y.data())).toEqual(expected);
    },
  );
});

describe('reduction gradients', () => {
  for (const kind of Object.keys(ops) as Kind[]) {
    test.each([[[3, 4], 1], [[2, 3, 4], [0, 2]], [[5], undefined], [[2, 3, 2], -1]] as [number[], number | number[] | undefined][])(
      `${kind} of %p over %p`,
      async (shape, axis) => {
        await checkGradients(([x]) => ops[kind](x, axis), [{ shape }]);
        await checkGradients(([x]) => ops[kind](x, axis, true), [{ shape }]);
      },
    );
  }

  test('max gradient is shared between ties', async () => {
    const x = tn.tensor([1, 3, 3, 2], [4], { requiresGrad: true });
    tn.max(x).backward();
    expect(Array.from(await x.grad!.data())).toEqual([0, 0.5, 0.5, 0]);
  });
});

describe('reduction errors', () => {
  test('axis out of range', () => {
    expect(() => tn.sum(tn.zeros([2, 3]), 2)).toThrow(tn.ValueError);
    expect(() => tn.mean(tn.zeros([2, 3]), [-3])).toThrow(/axis/);
  });
  test('repeated axes', () => {
    expect(() => tn.sum(tn.zeros([2, 3]), [1, -1])).toThrow(/repeated/);
  });
  test('int32 input sums to int32 (tfjs)', () => {
    const s = tn.sum(tn.tensor([3, 4], [2], { dtype: 'int32' }));
    expect(s.dtype).toBe('int32');
    expect(s.item()).toBe(7);
  });
  test('max over an empty axis', () => {
    expect(() => tn.max(tn.zeros([2, 0]), 1)).toThrow(/empty/);
  });
});

describe('reductions of empty tensors', () => {
  // Tensors empty through one dim whose other dims multiply past 2^63: the kernels' dim products must not overflow
  // (libFuzzer found signed overflow here; the CI sanitizer job runs these).
  const huge = 2 ** 40;
  test.each([
    [[huge, huge, 0], [0, 1], [0]],
    [[0, huge, huge], [1, 2], [0]],
    [[3, huge, 0], 1, [3, 0]],
  ] as [number[], number | number[], number[]][])('sum of [%p] over %p has shape %p', async (shape, axis, outShape) => {
    const y = tn.sum(tn.zeros(shape), axis);
    expect(y.shape).toEqual(outShape);
    expect((await y.data()).length).toBe(0);
  });
  test('an empty reduced axis gives the identity per output', async () => {
    expect(Array.from(await tn.sum(tn.zeros([2, 0, 3]), 1).data())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(await tn.mean(tn.zeros([2, 0]), 1).data())).toEqual([NaN, NaN]);
  });
});
