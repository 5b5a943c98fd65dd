// Histogram buckets against tfjs-node's recipe run through tfjs's ops (min/max, floorDiv into k equal-width buckets,
// oneHot counts, linspace edges with the last edge set to max) on random data.
import { histogramBuckets } from '../../lib/tensorboard';
import { ValueError } from '../../lib';
import { tf } from '../helpers/tfjs_diff';
import { randomArray } from '../helpers/gradcheck';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** tfjs-node's bucketing (nodejs_kernel_backend's buckets()), expressed with tfjs ops: rows [left, right, count]. */
function tfjsNodeBuckets(values: Float32Array | Int32Array, k: number): number[][] {
  const t: Any = tf();
  return t.tidy(() => {
    const data = t.tensor1d(values).cast('float32');
    const min = data.min();
    const max = data.max();
    const range = max.sub(min);
    if (range.arraySync() === 0) return [[min.sub(0.5).arraySync(), min.add(0.5).arraySync(), values.length]];
    const idx = t.minimum(data.sub(min).floorDiv(range.div(k)).cast('int32'), k - 1).cast('int32');
    const counts = t.oneHot(idx, k).sum(0).arraySync() as number[];
    const edges = t.linspace(min.arraySync(), max.arraySync(), k + 1).arraySync() as number[];
    edges[k] = max.arraySync();
    return counts.map((c, i) => [edges[i], edges[i + 1], c]);
  });
}

const rows = (flat: Float32Array): number[][] => Array.from({ length: flat.length / 3 }, (_, i) => Array.from(flat.subarray(3 * i, 3 * i + 3)));

describe('histogramBuckets', () => {
  test.each([
    [1, 200, 30, -3, 2],
    [2, 1000, 30, 0.5, 7],
    [3, 57, 7, -100, -99],
    [4, 10, 2, -1, 1],
    [5, 4096, 64, -1e3, 1e3],
  ])('seed %i: %i float values into %i buckets over [%d, %d) agree with tfjs-node', (seed, n, k, lo, hi) => {
    const values = randomArray(n, seed, lo, hi);
    const got = rows(histogramBuckets(values, k));
    const want = tfjsNodeBuckets(values, k);
    expect(got).toHaveLength(k);
    // counts are exact; edges agree to float32 rounding (tfjs's CPU linspace accumulates, TF's multiplies)
    expect(got.map((r) => r[2])).toEqual(want.map((r) => r[2]));
    const tol = k * 2 ** -23 * Math.max(Math.abs(lo), Math.abs(hi));
    got.forEach((r, i) => {
      expect(Math.abs(r[0] - want[i][0])).toBeLessThanOrEqual(tol);
      expect(Math.abs(r[1] - want[i][1])).toBeLessThanOrEqual(tol);
    });
    expect(got[0][0]).toBe(Math.fround(Math.min(...values)));
    expect(got[k - 1][1]).toBe(Math.fround(Math.max(...values)));
    expect(got.reduce((s, r) => s + r[2], 0)).toBe(n);
  });

  test('int32 data (cast to float32 as tfjs-node does)', () => {
    const values = Int32Array.from(randomArray(300, 9, -50, 50), Math.round);
    expect(rows(histogramBuckets(values, 12)).map((r) => r[2])).toEqual(tfjsNodeBuckets(values, 12).map((r) => r[2]));
  });

  test('one value repeated: a single bucket [v - 0.5, v + 0.5] holding every element', () => {
    const v = randomArray(1, 11)[0];
    const values = new Float32Array(17).fill(v);
    expect(rows(histogramBuckets(values, 30))).toEqual(tfjsNodeBuckets(values, 30));
    expect(rows(histogramBuckets(values))).toEqual([[Math.fround(v - 0.5), Math.fround(v + 0.5), 17]]);
  });

  test('one bucket (tfjs-node throws there: its oneHot needs depth >= 2) spans [min, max] and holds everything', () => {
    const values = randomArray(25, 12, -2, 3);
    const min = Math.fround(Math.min(...values));
    const max = Math.fround(Math.max(...values));
    expect(rows(histogramBuckets(values, 1))).toEqual([[min, max, 25]]);
  });

  test('no data: no buckets', () => {
    expect(histogramBuckets(new Float32Array(0), 5)).toHaveLength(0);
  });

  test('bad bucket counts and non-finite data throw ValueError', () => {
    const values = randomArray(8, 3);
    for (const k of [0, -2, 2.5, NaN]) expect(() => histogramBuckets(values, k)).toThrow(ValueError);
    expect(() => histogramBuckets(Float32Array.of(1, NaN), 4)).toThrow(/finite/);
    expect(() => histogramBuckets(Float32Array.of(1, Infinity), 4)).toThrow(/finite/);
  });
});
