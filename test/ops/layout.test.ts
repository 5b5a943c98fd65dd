// transpose / concat / slice / pad against index-mapping references (float32 and int32), gradients, errors.
import * as tn from '../../lib';
import { checkGradients, randomArray, sizeOf } from '../helpers/gradcheck';

function unravel(i: number, shape: readonly number[]): number[] {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}
const ravel = (idx: number[], shape: readonly number[]): number => idx.reduce((o, v, d) => o * shape[d] + v, 0);

describe('transpose', () => {
  test.each([[[3, 4], undefined], [[2, 3, 4], [2, 0, 1]], [[2, 3, 4], [0, 2, 1]], [[2, 1, 3, 5], [3, 1, 0, 2]], [[5], [0]], [[2, 3, 4], undefined]] as [number[], number[] | undefined][])(
    'shape %p perm %p',
    async (shape, perm) => {
      const x = randomArray(sizeOf(shape), 51);
      const p = perm ?? shape.map((_, i) => shape.length - 1 - i);
      const outShape = p.map((d) => shape[d]);
      const expected = Array.from({ length: x.length }, (_, i) => {
        const yi = unravel(i, outShape);
        const xi: number[] = [];
        p.forEach((d, k) => (xi[d] = yi[k]));
        return x[ravel(xi, shape)];
      });
      const y = tn.transpose(tn.tensor(x, shape), perm);
      expect(y.shape).toEqual(outShape);
      expect(Array.from(await y.data())).toEqual(expected);
      await checkGradients(([t]) => tn.transpose(t, perm), [{ shape }]);
    },
  );
  test('int32', async () => {
    const y = tn.transpose(tn.tensor([1, 2, 3, 4, 5, 6], [2, 3], { dtype: 'int32' }));
    expect(y.dtype).toBe('int32');
    expect(Array.from(await y.data())).toEqual([1, 4, 2, 5, 3, 6]);
  });
  test('errors', () => {
    expect(() => tn.transpose(tn.zeros([2, 3]), [0, 0])).toThrow(/permutation/);
    expect(() => tn.transpose(tn.zeros([2, 3]), [0, 1, 2])).toThrow(tn.ValueError);
  });
});

describe('concat', () => {
  test.each([[[[2, 3], [4, 3]], 0], [[[2, 3], [2, 1], [2, 5]], 1], [[[2, 3, 4], [2, 2, 4]], -2], [[[3], [1], [4]], 0], [[[1, 2, 2]], 2]] as [number[][], number][])(
    'shapes %p axis %p',
    async (shapes, axis) => {
      const a = axis < 0 ? axis + shapes[0].length : axis;
      const xs = shapes.map((s, k) => randomArray(sizeOf(s), 60 + k));
      const outShape = [...shapes[0]];
      outShape[a] = shapes.reduce((t, s) => t + s[a], 0);
      const expected = new Array<number>(sizeOf(outShape));
      let at = 0;
      shapes.forEach((s, k) => {
        for (let i = 0; i < xs[k].length; i++) {
          const idx = unravel(i, s);
          idx[a] += at;
          expected[ravel(idx, outShape)] = xs[k][i];
        }
        at += s[a];
      });
      const y = tn.concat(xs.map((x, k) => tn.tensor(x, shapes[k])), axis);
      expect(y.shape).toEqual(outShape);
      expect(Array.from(await y.data())).toEqual(expected);
      await checkGradients((ts) => tn.concat(ts, axis), shapes.map((shape) => ({ shape })));
    },
  );
  test('errors', () => {
    expect(() => tn.concat([])).toThrow(tn.ValueError);
    expect(() => tn.concat([tn.zeros([2, 3]), tn.zeros([2, 2])], 0)).toThrow(tn.ShapeError);
    expect(() => tn.concat([tn.zeros([2]), tn.zeros([2], { dtype: 'int32' })])).toThrow(tn.DTypeError);
    expect(() => tn.concat([tn.zeros([2])], 1)).toThrow(tn.ValueError);
  });
});

describe('slice', () => {
  test.each([[[5], [1], [3]], [[4, 5], [1, 2], [2, -1]], [[3, 4, 5], [0, 1, 2], [3, 2, 1]], [[3, 4, 5], [2, 0, 0], [-1, 4, 5]], [[2, 3, 3, 2], [1, 0, 1, 0], [1, 3, 2, 2]]] as [number[], number[], number[]][])(
    'x %p begin %p size %p',
    async (shape, begin, size) => {
      const x = randomArray(sizeOf(shape), 71);
      const out = size.map((d, i) => (d === -1 ? shape[i] - begin[i] : d));
      const expected = Array.from({ length: sizeOf(out) }, (_, i) => x[ravel(unravel(i, out).map((v, d) => v + begin[d]), shape)]);
      const y = tn.slice(tn.tensor(x, shape), begin, size);
      expect(y.shape).toEqual(out);
      expect(Array.from(await y.data())).toEqual(expected);
      await checkGradients(([t]) => tn.slice(t, begin, size), [{ shape }]);
    },
  );
  test('errors', () => {
    expect(() => tn.slice(tn.zeros([2, 3]), [0, 2], [2, 2])).toThrow(tn.ShapeError);
    expect(() => tn.slice(tn.zeros([2, 3]), [-1, 0], [1, 1])).toThrow(/outside/);
    // A short begin / size is padded as tfjs does (test/tfjs/indexing_more.test.ts); a longer one is an error.
    expect(() => tn.slice(tn.zeros([2, 3]), [0, 0, 0], [1])).toThrow(tn.ValueError);
  });
});

describe('pad', () => {
  test.each([[[3], [[2, 1]], 0], [[2, 3], [[1, 0], [2, 2]], -1.5], [[2, 3, 4], [[0, 1], [1, 0], [2, 3]], 2], [[1, 2, 3, 2], [[0, 0], [1, 1], [2, 0], [0, 0]], 0]] as [number[], [number, number][], number][])(
    'x %p paddings %p value %p',
    async (shape, paddings, value) => {
      const x = randomArray(sizeOf(shape), 81);
      const out = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
      const expected = new Array<number>(sizeOf(out)).fill(value);
      for (let i = 0; i < x.length; i++) expected[ravel(unravel(i, shape).map((v, d) => v + paddings[d][0]), out)] = x[i];
      const y = tn.pad(tn.tensor(x, shape), paddings, value);
      expect(y.shape).toEqual(out);
      expect(Array.from(await y.data())).toEqual(expected.map(Math.fround));
      await checkGradients(([t]) => tn.pad(t, paddings, value), [{ shape }]);
    },
  );
  test('int32 keeps its dtype and value', async () => {
    const y = tn.pad(tn.tensor([7, 8], [2], { dtype: 'int32' }), [[1, 1]], 3);
    expect(Array.from(await y.data())).toEqual([3, 7, 8, 3]);
  });
  test('errors', () => {
    expect(() => tn.pad(tn.zeros([2, 3]), [[0, 1]])).toThrow(tn.ValueError);
    expect(() => tn.pad(tn.zeros([2]), [[-1, 0]])).toThrow(/non-negative/);
  });
});
