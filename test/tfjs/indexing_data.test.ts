// Differential tests against tfjs: value-driven indexing ops (unique, unsortedSegmentSum, bincount, denseBincount,
// sparseToDense, tensorScatterUpdate, searchSorted, lowerBound, upperBound) and the async ones (whereAsync,
// booleanMaskAsync, setdiff1dAsync, inTopKAsync).
import * as tn from '../../lib';
import { checkGradients, randomArray } from '../helpers/gradcheck';
import { bool, compareWithTfjs, expectBothThrow, f32, i32, tf, type DiffCase } from '../helpers/tfjs_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));

/** Values with repeats: random integers in [0, k) as float32 (exact), so unique / setdiff have work to do. */
const repeats = (n: number, k: number, seed: number): number[] => Array.from(randomArray(n, seed, 0, k), Math.floor);

/** Runs an async function through both libraries on the same values; compares dtype, shape and values of every output. */
async function compareAsync(inputs: { values: (number | boolean)[]; shape: number[]; dtype: 'float32' | 'int32' | 'bool' }[], fn: (m: Any, ...xs: Any[]) => Promise<Any>): Promise<void> {
  const T = tf();
  const theirs = await fn(T, ...inputs.map((s) => T.tensor(s.values, s.shape, s.dtype)));
  const mine = await fn(tn, ...inputs.map((s) => tn.tensor(s.values as Any, s.shape, { dtype: s.dtype })));
  const a: Any[] = Array.isArray(theirs) ? theirs : [theirs];
  const b: Any[] = Array.isArray(mine) ? mine : [mine];
  expect(b.length).toBe(a.length);
  a.forEach((t, i) => {
    expect({ i, dtype: b[i].dtype, shape: b[i].shape }).toEqual({ i, dtype: t.dtype, shape: t.shape });
    expect(Array.from(b[i].dataSync() as ArrayLike<number>)).toEqual(Array.from(t.dataSync() as ArrayLike<number>));
  });
}

describe('unique vs tfjs', () => {
  const pair = (r: { values: Any; indices: Any }): Any[] => [r.values, r.indices];
  run([
    ['1-D float32 with repeats', { inputs: [f32([12], undefined, { data: repeats(12, 4, 1) })], fn: (m, x) => pair(m.unique(x)), grads: false }],
    ['int32', { inputs: [i32([10], [-3, 3])], fn: (m, x) => pair(m.unique(x)) }],
    ['bool', { inputs: [bool([6])], fn: (m, x) => pair(m.unique(x)) }],
    ['NaN equals NaN, -0 equals 0', { inputs: [f32([5], undefined, { data: [NaN, 1, NaN, -0, 0] })], fn: (m, x) => pair(m.unique(x)), grads: false }],
    ['axis 1 of a 2-D tensor', { inputs: [i32([2, 6], [0, 2])], fn: (m, x) => pair(m.unique(x, 1)) }],
    ['axis -1', { inputs: [f32([2, 5], undefined, { data: [1, 0, 1, 2, 0, 3, 0, 3, 4, 0] })], fn: (m, x) => pair(m.unique(x, -1)), grads: false }],
    ['axis 0 rows', { inputs: [i32([6, 2], [0, 2])], fn: (m, x) => pair(m.unique(x, 0)) }],
    ['Tensor#unique', { inputs: [i32([8], [0, 3])], fn: (_m, x) => pair(x.unique()) }],
  ]);
  test('a scalar throws in both (typed here)', () => {
    expectBothThrow([f32([])], (m, x) => m.unique(x), tn.ShapeError, /unique: 'x' must have rank >= 1/);
  });
});

describe('unsortedSegmentSum vs tfjs', () => {
  run([
    ['1-D, ids in range', { inputs: [f32([6]), i32([6], [0, 3])], fn: (m, x, ids) => m.unsortedSegmentSum(x, ids, 3) }],
    ['negative ids dropped', { inputs: [f32([5]), i32([5], [0, 1], { data: [0, -1, 2, -3, 1] })], fn: (m, x, ids) => m.unsortedSegmentSum(x, ids, 3) }],
    // tfjs's gradient throws for ids >= numSegments (it gathers them): forward only.
    ['ids past numSegments dropped', { inputs: [f32([4]), i32([4], [0, 1], { data: [0, 5, 2, 1] })], fn: (m, x, ids) => m.unsortedSegmentSum(x, ids, 3), grads: false }],
    ['rows of a 2-D x', { inputs: [f32([5, 3]), i32([5], [0, 4])], fn: (m, x, ids) => m.unsortedSegmentSum(x, ids, 4) }],
    ['Tensor#unsortedSegmentSum', { inputs: [f32([4, 2]), i32([4], [0, 2])], fn: (_m, x, ids) => x.unsortedSegmentSum(ids, 2) }],
  ]);
  test('int32 x keeps int32 (tfjs CPU returns the same sums as float32)', () => {
    const T = tf();
    const xs = [3, -4, 7, 1, 2];
    const ids = [1, 0, 1, 3, 0];
    const theirs = T.unsortedSegmentSum(T.tensor(xs, [5], 'int32'), T.tensor(ids, [5], 'int32'), 4);
    const mine = tn.unsortedSegmentSum(tn.tensor(xs, [5], { dtype: 'int32' }), tn.tensor(ids, [5], { dtype: 'int32' }), 4);
    expect(mine.dtype).toBe('int32');
    expect(Array.from(mine.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });
  test('2-D ids reduce both of their dims (as TensorFlow; tfjs CPU reduces only the first): tfjs on flattened ids', () => {
    const T = tf();
    const xs = Array.from(randomArray(12, 21));
    const ids = [1, 0, 1, 1, 0, 2];
    const theirs = T.unsortedSegmentSum(T.tensor(xs, [6, 2]), T.tensor(ids, [6], 'int32'), 3);
    const mine = tn.unsortedSegmentSum(tn.tensor(xs, [3, 2, 2]), tn.tensor(ids, [3, 2], { dtype: 'int32' }), 3);
    expect(mine.shape).toEqual([3, 2]);
    const got = Array.from(mine.dataSync());
    Array.from(theirs.dataSync() as Float32Array).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });
  test('gradient with dropped ids by finite differences', async () => {
    const ids = tn.tensor([0, 5, 2, -1, 1, 2], [6], { dtype: 'int32' });
    await checkGradients(([x]) => tn.unsortedSegmentSum(x, ids, 3), [{ shape: [6, 2] }]);
    await checkGradients(([x]) => tn.unsortedSegmentSum(x, tn.reshape(ids, [3, 2]), 3), [{ shape: [3, 2, 2] }]);
  });
  test('errors throw in both (typed here)', () => {
    expectBothThrow([f32([3]), f32([3])], (m, x, ids) => m.unsortedSegmentSum(x, ids, 2), tn.DTypeError, /'segmentIds' must be int32/);
    expectBothThrow([f32([3]), i32([3])], (m, x, ids) => m.unsortedSegmentSum(x, ids, 1.5), tn.ValueError, /'numSegments' must be a finite integer/);
    expect(() => tn.unsortedSegmentSum(tn.ones([3, 2]), tn.tensor([0, 1], [2], { dtype: 'int32' }), 2)).toThrow(/'segmentIds' \[2\] must be a prefix/);
  });
});

describe('bincount and denseBincount vs tfjs', () => {
  run([
    ['bincount counts', { inputs: [i32([12], [0, 8]), f32([0])], fn: (m, x, w) => m.bincount(x, w, 6), grads: false }],
    ['bincount float weights', { inputs: [i32([10], [0, 5]), f32([10])], fn: (m, x, w) => m.bincount(x, w, 5), grads: false }],
    ['bincount int32 weights', { inputs: [i32([10], [0, 5]), i32([10], [-3, 3])], fn: (m, x, w) => m.bincount(x, w, 4) }],
    ['bincount of a 2-D x counts everything', { inputs: [i32([3, 4], [0, 4]), f32([0])], fn: (m, x, w) => m.bincount(x, w, 4), grads: false }],
    ['denseBincount 1-D', { inputs: [i32([9], [0, 4]), f32([0])], fn: (m, x, w) => m.denseBincount(x, w, 4), grads: false }],
    ['denseBincount 1-D weights', { inputs: [i32([9], [0, 4]), f32([9])], fn: (m, x, w) => m.denseBincount(x, w, 3), grads: false }],
    ['denseBincount 2-D', { inputs: [i32([3, 5], [0, 5]), f32([0])], fn: (m, x, w) => m.denseBincount(x, w, 4), grads: false }],
    ['denseBincount 2-D weights', { inputs: [i32([3, 5], [0, 5]), f32([3, 5])], fn: (m, x, w) => m.denseBincount(x, w, 5), grads: false }],
    ['denseBincount 2-D binary', { inputs: [i32([3, 5], [0, 5]), f32([3, 5])], fn: (m, x, w) => m.denseBincount(x, w, 5, true), grads: false }],
  ]);
  test('binaryOutput on a 1-D x gives 0/1 like a 2-D row (tfjs CPU counts there)', () => {
    const x = tn.tensor([1, 1, 2, 4, 4, 4], [6], { dtype: 'int32' });
    const w = tn.tensor([0.5, 2, 1, 3, 1, 1]);
    const oneD = tn.denseBincount(x, w, 5, true);
    const T = tf();
    const row = T.denseBincount(T.tensor([[1, 1, 2, 4, 4, 4]], [1, 6], 'int32'), T.tensor([[0.5, 2, 1, 3, 1, 1]]), 5, true);
    expect(oneD.shape).toEqual([5]);
    expect(Array.from(oneD.dataSync())).toEqual(Array.from(row.dataSync()));
  });
  test('errors throw in both (typed here)', () => {
    expectBothThrow([f32([3]), f32([0])], (m, x, w) => m.bincount(x, w, 3), tn.DTypeError, /bincount: argument 'x' must be int32/);
    expectBothThrow([i32([3], [0, 1], { data: [1, -1, 0] }), f32([0])], (m, x, w) => m.bincount(x, w, 3), tn.ValueError, /bincount: 'x' must be non-negative, got -1 at position 1/);
    expectBothThrow([i32([3]), f32([2])], (m, x, w) => m.bincount(x, w, 3), tn.ShapeError, /'weights' \[2\] must have as many values/);
    expectBothThrow([i32([2, 2, 2]), f32([0])], (m, x, w) => m.denseBincount(x, w, 3), tn.ShapeError, /denseBincount: 'x' must have rank 1 or 2/);
    expectBothThrow([i32([3]), f32([0])], (m, x, w) => m.bincount(x, w, -1), tn.ValueError, /'size' must be in \[0/);
  });
});

describe('sparseToDense and tensorScatterUpdate vs tfjs', () => {
  run([
    ['sparseToDense 1-D', { inputs: [i32([3], [0, 1], { data: [0, 3, 1] }), f32([3])], fn: (m, i, v) => m.sparseToDense(i, v, [5]), grads: false }],
    ['sparseToDense duplicates: last wins', { inputs: [i32([3], [0, 1], { data: [0, 3, 0] }), f32([3])], fn: (m, i, v) => m.sparseToDense(i, v, [5], 0.5), grads: false }],
    ['sparseToDense scalar value', { inputs: [i32([2], [0, 1], { data: [0, 3] }), f32([])], fn: (m, i, v) => m.sparseToDense(i, v, [5], 9), grads: false }],
    ['sparseToDense 2-D indices', { inputs: [i32([3, 2], [0, 1], { data: [0, 1, 2, 2, 1, 0] }), f32([3])], fn: (m, i, v) => m.sparseToDense(i, v, [3, 3], -1), grads: false }],
    ['sparseToDense scalar index', { inputs: [i32([], [0, 1], { data: [2] }), f32([])], fn: (m, i, v) => m.sparseToDense(i, v, [3]), grads: false }],
    ['sparseToDense int32', { inputs: [i32([2], [0, 1], { data: [0, 2] }), i32([2], [-9, 9])], fn: (m, i, v) => m.sparseToDense(i, v, [3], 1) }],
    ['sparseToDense bool', { inputs: [i32([2], [0, 1], { data: [3, 1] }), bool([2], { data: [true, true] })], fn: (m, i, v) => m.sparseToDense(i, v, [4], false) }],
    ['tensorScatterUpdate 1-D', { inputs: [f32([4]), i32([2, 1], [0, 1], { data: [1, 3] }), f32([2])], fn: (m, t, i, u) => m.tensorScatterUpdate(t, i, u), grads: false }],
    ['tensorScatterUpdate duplicates: last wins', { inputs: [f32([4]), i32([2, 1], [0, 1], { data: [1, 1] }), f32([2])], fn: (m, t, i, u) => m.tensorScatterUpdate(t, i, u), grads: false }],
    ['tensorScatterUpdate rows', { inputs: [f32([3, 2]), i32([2, 1], [0, 1], { data: [2, 0] }), f32([2, 2])], fn: (m, t, i, u) => m.tensorScatterUpdate(t, i, u), grads: false }],
    ['tensorScatterUpdate elements', { inputs: [f32([3, 2]), i32([2, 2], [0, 1], { data: [2, 1, 0, 0] }), f32([2])], fn: (m, t, i, u) => m.tensorScatterUpdate(t, i, u), grads: false }],
    ['tensorScatterUpdate 1-D indices', { inputs: [f32([4]), i32([2], [0, 1], { data: [1, 2] }), f32([2])], fn: (m, t, i, u) => m.tensorScatterUpdate(t, i, u), grads: false }],
    ['tensorScatterUpdate int32', { inputs: [i32([3, 3], [-9, 9]), i32([1, 1], [0, 1], { data: [1] }), i32([1, 3], [-9, 9])], fn: (m, t, i, u) => m.tensorScatterUpdate(t, i, u) }],
  ]);
  test('gradients by finite differences (tfjs defines none)', async () => {
    const idx = tn.tensor([[2], [0], [2]], [3, 1], { dtype: 'int32' });
    await checkGradients(([t, u]) => tn.tensorScatterUpdate(t, idx, u), [{ shape: [4, 2] }, { shape: [3, 2] }]);
    const sp = tn.tensor([[0, 1], [2, 0], [0, 1]], [3, 2], { dtype: 'int32' });
    await checkGradients(([v]) => tn.sparseToDense(sp, v, [3, 2], 0.5), [{ shape: [3] }]);
  });
  test('errors throw in both (typed here)', () => {
    expectBothThrow([i32([2], [0, 1], { data: [0, 7] }), f32([2])], (m, i, v) => m.sparseToDense(i, v, [3]), tn.ValueError, /sparseToDense: index \[7\] \(entry 1\) is outside the shape \[3\]/);
    expectBothThrow([i32([2], [0, 1], { data: [0, -1] }), f32([2])], (m, i, v) => m.sparseToDense(i, v, [3]), tn.ValueError, /outside the shape/);
    expectBothThrow([i32([2]), f32([2])], (m, i, v) => m.sparseToDense(i, v, [3, 3]), tn.ShapeError, /'outputShape' \[3,3\] must have 1 dims/);
    expectBothThrow([i32([2]), f32([3])], (m, i, v) => m.sparseToDense(i, v, [3]), tn.ShapeError, /'sparseValues' has shape \[3\], expected \[\] or \[2\]/);
    expectBothThrow([f32([2]), f32([2])], (m, i, v) => m.sparseToDense(i, v, [3]), tn.DTypeError, /'sparseIndices' must be int32/);
    expectBothThrow([f32([4]), i32([1, 1], [0, 1], { data: [5] }), f32([1])], (m, t, i, u) => m.tensorScatterUpdate(t, i, u), tn.ValueError, /tensorScatterUpdate: index \[5\]/);
    expectBothThrow([f32([4]), i32([1, 1], [0, 1], { data: [1] }), i32([1])], (m, t, i, u) => m.tensorScatterUpdate(t, i, u), tn.DTypeError, /'updates' is int32 but 'tensor' is float32/);
    expectBothThrow([f32([4]), i32([1, 1], [0, 1], { data: [1] }), f32([2])], (m, t, i, u) => m.tensorScatterUpdate(t, i, u), tn.ShapeError, /'updates' has shape \[2\], expected \[1\]/);
    // tfjs checks only the flattened position, so [0, 5] passes for shape [3, 3]; every coordinate is checked here.
    expect(() => tn.tensorScatterUpdate(tn.ones([3, 3]), tn.tensor([[0, 5]], [1, 2], { dtype: 'int32' }), tn.ones([1]))).toThrow(tn.ValueError);
  });
});

describe('searchSorted, lowerBound, upperBound vs tfjs', () => {
  const sorted = (rows: number, n: number, seed: number): number[] => {
    const v = repeats(rows * n, 6, seed);
    for (let r = 0; r < rows; r++) v.splice(r * n, n, ...v.slice(r * n, (r + 1) * n).sort((a, b) => a - b));
    return v;
  };
  run([
    ['1-D, ties, both sides', { inputs: [f32([8], undefined, { data: sorted(1, 8, 3) }), f32([6], [-1, 7])], fn: (m, s, v) => [m.searchSorted(s, v), m.searchSorted(s, v, 'right')] }],
    ['values equal to entries', { inputs: [f32([8], undefined, { data: sorted(1, 8, 4) }), f32([5], undefined, { data: [0, 1, 2, 3, 5] })], fn: (m, s, v) => [m.lowerBound(s, v), m.upperBound(s, v)] }],
    ['2-D rows', { inputs: [f32([3, 6], undefined, { data: sorted(3, 6, 5) }), f32([3, 4], [-1, 7])], fn: (m, s, v) => [m.lowerBound(s, v), m.upperBound(s, v)] }],
    ['3-D reads rows', { inputs: [f32([2, 2, 5], undefined, { data: sorted(4, 5, 6) }), f32([2, 2, 3], [-1, 7])], fn: (m, s, v) => m.searchSorted(s, v, 'right') }],
    ['int32 sequence, float values', { inputs: [i32([6], [0, 1], { data: [1, 2, 2, 4, 8, 9] }), f32([4], [0, 10])], fn: (m, s, v) => m.searchSorted(s, v) }],
  ]);
  test('errors throw in both (typed here)', () => {
    expectBothThrow([f32([2, 4]), f32([3, 2])], (m, s, v) => m.searchSorted(s, v), tn.ShapeError, /searchSorted: 'sortedSequence' \[2,4\] has 2 rows but 'values' \[3,2\] has 3/);
    expectBothThrow([f32([4]), f32([])], (m, s, v) => m.searchSorted(s, v), tn.ShapeError, /must have rank >= 1/);
    expect(() => tn.searchSorted(tn.ones([3]), tn.ones([2]), 'middle' as 'left')).toThrow(tn.ValueError);
  });
});

describe('async ops vs tfjs', () => {
  const b = (values: boolean[], shape: number[]) => ({ values, shape, dtype: 'bool' as const });
  const f = (values: number[], shape: number[]) => ({ values, shape, dtype: 'float32' as const });
  const n = (values: number[], shape: number[]) => ({ values, shape, dtype: 'int32' as const });
  const coin = (k: number, seed: number): boolean[] => Array.from(randomArray(k, seed, 0, 1), (v) => v < 0.5);
  const floats = (k: number, seed: number): number[] => Array.from(randomArray(k, seed));

  test('whereAsync', async () => {
    await compareAsync([b(coin(12, 1), [3, 4])], (m, c) => m.whereAsync(c));
    await compareAsync([b(coin(7, 2), [7])], (m, c) => m.whereAsync(c));
    await compareAsync([b(coin(24, 3), [2, 3, 4])], (m, c) => m.whereAsync(c));
    await compareAsync([b([false, false], [2])], (m, c) => m.whereAsync(c));
    await compareAsync([b([true], [])], (m, c) => m.whereAsync(c));
    await expect(tn.whereAsync(tn.ones([2]))).rejects.toThrow(tn.DTypeError);
  });

  test('booleanMaskAsync', async () => {
    await compareAsync([f(floats(12, 4), [4, 3]), b(coin(4, 5), [4])], (m, x, mask) => m.booleanMaskAsync(x, mask));
    await compareAsync([f(floats(12, 6), [3, 4]), b(coin(4, 7), [4])], (m, x, mask) => m.booleanMaskAsync(x, mask, 1));
    await compareAsync([f(floats(24, 8), [2, 3, 4]), b(coin(6, 9), [2, 3])], (m, x, mask) => m.booleanMaskAsync(x, mask));
    await compareAsync([n([1, 2, 3, 4], [4]), b([false, false, false, false], [4])], (m, x, mask) => m.booleanMaskAsync(x, mask));
    await expect(tn.booleanMaskAsync(tn.ones([3, 2]), tn.tensor([true, false]))).rejects.toThrow(/booleanMaskAsync: mask \[2\] must match dims 0..0/);
    await expect(tf().booleanMaskAsync(tf().ones([3, 2]), tf().tensor([true, false]))).rejects.toThrow();
    await expect(tn.booleanMaskAsync(tn.ones([3]), tn.tensor([true]), 1)).rejects.toThrow(tn.ValueError);
  });

  test('booleanMaskAsync gradient flows to the kept rows', async () => {
    const x = tn.tensor(randomArray(8, 10), [4, 2], { requiresGrad: true });
    const y = await tn.booleanMaskAsync(x, tn.tensor([true, false, true, true]));
    tn.sum(y).backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
  });

  test('setdiff1dAsync', async () => {
    await compareAsync([f(repeats(10, 6, 11), [10]), f(repeats(3, 6, 12), [3])], (m, x, y) => m.setdiff1dAsync(x, y));
    await compareAsync([n([1, 2, 3, 2, 5], [5]), n([2], [1])], (m, x, y) => m.setdiff1dAsync(x, y));
    await compareAsync([f([NaN, 1, -0], [3]), f([NaN, 0], [2])], (m, x, y) => m.setdiff1dAsync(x, y));
    await compareAsync([f([1, 2], [2]), f([1, 2, 3], [3])], (m, x, y) => m.setdiff1dAsync(x, y));
    await expect(tn.setdiff1dAsync(tn.tensor([1], [1], { dtype: 'int32' }), tn.tensor([1]))).rejects.toThrow(tn.DTypeError);
    await expect(tn.setdiff1dAsync(tn.ones([1, 1]), tn.ones([1]))).rejects.toThrow(tn.ShapeError);
  });

  test('inTopKAsync', async () => {
    await compareAsync([f(floats(15, 13), [3, 5]), n([0, 4, 2], [3])], (m, p, t) => m.inTopKAsync(p, t));
    await compareAsync([f(floats(15, 14), [3, 5]), n([1, 3, 0], [3])], (m, p, t) => m.inTopKAsync(p, t, 3));
    await compareAsync([f(floats(24, 15), [2, 3, 4]), n([0, 1, 2, 3, 3, 2], [2, 3])], (m, p, t) => m.inTopKAsync(p, t, 2));
    await compareAsync([f([1, 1, 1, 2, 2, 1], [2, 3]), n([2, 1], [2])], (m, p, t) => m.inTopKAsync(p, t, 1));
    await compareAsync([f([NaN, 0.8, 0.1], [1, 3]), n([1], [1])], (m, p, t) => m.inTopKAsync(p, t, 1));
    await compareAsync([n([1, 5, 3, 5], [2, 2]), n([1, 0], [2])], (m, p, t) => m.inTopKAsync(p, t, 1));
    await expect(tn.inTopKAsync(tn.ones([2, 3]), tn.tensor([1, 1], [2], { dtype: 'int32' }), 4)).rejects.toThrow(/'k' must be an integer in \[1, 3\]/);
    await expect(tn.inTopKAsync(tn.ones([3]), tn.tensor(1, [], { dtype: 'int32' }))).rejects.toThrow(tn.ShapeError);
    await expect(tn.inTopKAsync(tn.ones([2, 3]), tn.tensor([1], [1], { dtype: 'int32' }))).rejects.toThrow(/'targets' has shape \[1\], expected \[2\]/);
  });
});
