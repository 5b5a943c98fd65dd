// Differential tests against tfjs: cosineWindow, bitwiseAnd, tf.sparse and the ragged ops (tfjs has no gradients
// for these; ours, which flow through gather / segment sums, are checked by finite differences).
import * as tn from '../../lib';
import { checkGradients } from '../helpers/gradcheck';
import { compareWithTfjs, expectBothThrow, f32, i32, type DiffCase } from '../helpers/tfjs_diff';

type Case = [string, DiffCase];
const run = (cases: Case[]): void => test.each(cases)('%s', (_name, c) => compareWithTfjs(c));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const int = (m: Any, v: number[] | number[][], shape?: number[]) => m.tensor(v, shape, 'int32');

describe('cosineWindow and bitwiseAnd vs tfjs', () => {
  run([
    ['cosineWindow even', { inputs: [], fn: (m) => m.cosineWindow(8, 0.5, 0.5) }],
    ['cosineWindow odd, other coefficients', { inputs: [], fn: (m) => m.cosineWindow(7, 0.42, 0.5) }],
    ['cosineWindow of length 1 and 0', { inputs: [], fn: (m) => [m.cosineWindow(1, 0.54, 0.46), m.cosineWindow(0, 0.5, 0.5)] }],
    ['bitwiseAnd small non-negative', { inputs: [i32([3, 4], [0, 64]), i32([3, 4], [0, 64])], fn: (m, a, b) => m.bitwiseAnd(a, b) }],
    ['bitwiseAnd full int32 range, negatives', { inputs: [i32([50], [-(2 ** 31), 2 ** 31 - 1]), i32([50], [-(2 ** 31), 2 ** 31 - 1])], fn: (m, a, b) => m.bitwiseAnd(a, b) }],
    ['bitwiseAnd extremes', { inputs: [i32([6], [0, 1], { data: [-1, -(2 ** 31), 2 ** 31 - 1, -1, 0, -7] }), i32([6], [0, 1], { data: [2 ** 31 - 1, -1, -(2 ** 31), -(2 ** 31), -1, 12345] })], fn: (m, a, b) => m.bitwiseAnd(a, b) }],
    ['bitwiseAnd scalars', { inputs: [i32([], [-100, 100]), i32([], [-100, 100])], fn: (m, a, b) => m.bitwiseAnd(a, b) }],
  ]);
  test('bad arguments throw typed errors', () => {
    expectBothThrow([i32([3]), i32([4])], (m, a, b) => m.bitwiseAnd(a, b), tn.ShapeError, /bitwiseAnd: 'x' and 'y' must have the same shape/);
    expectBothThrow([f32([3]), i32([3])], (m, a, b) => m.bitwiseAnd(a, b), tn.DTypeError, /must be int32, got float32 and int32/);
    expect(() => tn.cosineWindow(-1, 0.5, 0.5)).toThrow(tn.ValueError);
    expect(() => tn.cosineWindow(4, 'a' as unknown as number, 0.5)).toThrow(/cosineWindow: 'a' must be a number/);
  });
});

describe('tf.sparse vs tfjs', () => {
  run([
    ['sparseSegmentSum', { inputs: [f32([6, 3]), i32([7], [0, 6])], fn: (m, x, idx) => m.sparse.sparseSegmentSum(x, idx, int(m, [0, 0, 1, 1, 1, 3, 3])), grads: false }],
    ['sparseSegmentSum with skipped rows and 1-D data', { inputs: [f32([5]), i32([4], [0, 5])], fn: (m, x, idx) => m.sparse.sparseSegmentSum(x, idx, int(m, [1, 1, 4, 6])), grads: false }],
    ['sparseSegmentSum int32, arrays as arguments', { inputs: [i32([4, 2], [-50, 50])], fn: (m, x) => m.sparse.sparseSegmentSum(x, [3, 0, 2], [0, 0, 2]) }],
    ['sparseSegmentSum 3-D data', { inputs: [f32([4, 2, 3]), i32([5], [0, 4])], fn: (m, x, idx) => m.sparse.sparseSegmentSum(x, idx, int(m, [0, 1, 1, 2, 2])), grads: false }],
    ['sparseSegmentMean', { inputs: [f32([6, 3]), i32([7], [0, 6])], fn: (m, x, idx) => m.sparse.sparseSegmentMean(x, idx, int(m, [0, 0, 1, 1, 1, 3, 3])), grads: false }],
    ['sparseSegmentMean int32 (truncates toward zero)', { inputs: [i32([5, 2], [-20, 20])], fn: (m, x) => m.sparse.sparseSegmentMean(x, int(m, [0, 1, 2, 3, 4, 0, 2]), int(m, [0, 0, 0, 1, 1, 3, 3])) }],
    ['sparseSegmentSum with no indices', { inputs: [f32([3, 2])], fn: (m, x) => [m.sparse.sparseSegmentSum(x, int(m, []), int(m, [])), m.sparse.sparseSegmentMean(x, int(m, []), int(m, []))], grads: false }],
    ['sparseReshape with -1', { inputs: [], fn: (m) => { const r = m.sparse.sparseReshape(int(m, [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 2, 3]]), int(m, [2, 3, 6]), int(m, [9, -1])); return [r.outputIndices, r.outputShape]; } }],
    ['sparseReshape to higher rank', { inputs: [i32([6, 2], [0, 4])], fn: (m, idx) => { const r = m.sparse.sparseReshape(idx, [4, 6], [2, 3, 4]); return [r.outputIndices, r.outputShape]; } }],
    ['sparseFillEmptyRows, unordered and empty rows', {
      inputs: [f32([5])],
      fn: (m, v) => { const r = m.sparse.sparseFillEmptyRows(int(m, [[4, 1], [0, 2], [4, 0], [1, 3], [0, 0]]), v, int(m, [7, 5]), -3.5); return [r.outputIndices, r.outputValues, r.emptyRowIndicator, r.reverseIndexMap]; },
      grads: false,
    }],
    ['sparseFillEmptyRows, ordered and full (identity)', {
      inputs: [i32([4], [-9, 9])],
      fn: (m, v) => { const r = m.sparse.sparseFillEmptyRows(int(m, [[0, 0, 1], [1, 1, 1], [1, 2, 0], [2, 0, 0]]), v, [3, 3, 2], 7); return [r.outputIndices, r.outputValues, r.emptyRowIndicator, r.reverseIndexMap]; },
    }],
    ['sparseFillEmptyRows with no entries', {
      inputs: [],
      fn: (m) => { const r = m.sparse.sparseFillEmptyRows(m.zeros([0, 2], 'int32'), m.zeros([0]), [3, 4], 1.5); return [r.outputIndices, r.outputValues, r.emptyRowIndicator, r.reverseIndexMap]; },
    }],
  ]);
  test('gradients by finite differences (tfjs has none)', async () => {
    const idx = tn.tensor([2, 0, 2, 1, 3], undefined, { dtype: 'int32' });
    const seg = tn.tensor([0, 0, 1, 3, 3], undefined, { dtype: 'int32' });
    await checkGradients(([x]) => tn.sparse.sparseSegmentSum(x, idx, seg), [{ shape: [4, 3] }]);
    await checkGradients(([x]) => tn.sparse.sparseSegmentMean(x, idx, seg), [{ shape: [4, 3] }]);
    const at = tn.tensor([[3, 0], [0, 1], [3, 2]], undefined, { dtype: 'int32' });
    await checkGradients(([v, d]) => tn.sparse.sparseFillEmptyRows(at, v, [5, 3], d.reshape([])).outputValues, [{ shape: [3] }, { shape: [1] }]);
  });
  test('bad arguments throw typed errors', () => {
    expectBothThrow([f32([4, 2])], (m, x) => m.sparse.sparseSegmentSum(x, int(m, [0, 1]), int(m, [1, 0])), tn.ValueError, /segment ids must be sorted/);
    expectBothThrow([f32([4, 2])], (m, x) => m.sparse.sparseSegmentSum(x, int(m, [0, 4]), int(m, [0, 0])), tn.ValueError, /indices\[1\] = 4 is not in \[0, 4\)/);
    expectBothThrow([f32([4, 2])], (m, x) => m.sparse.sparseSegmentMean(x, int(m, [0, 1, 2]), int(m, [0, 0])), tn.ShapeError, /same length/);
    expectBothThrow([f32([4, 2])], (m, x) => m.sparse.sparseSegmentSum(x, m.tensor([0, 1]), int(m, [0, 0])), tn.DTypeError, /'indices' must be a int32 tensor/);
    expectBothThrow([], (m) => m.sparse.sparseReshape(int(m, [[0, 1]]), int(m, [2, 3]), int(m, [-1, -1])), tn.ValueError, /only one dimension/);
    expectBothThrow([], (m) => m.sparse.sparseReshape(int(m, [[0, 1]]), int(m, [2, 3]), int(m, [4, -1])), tn.ValueError, /not a multiple of 4/);
    expectBothThrow([], (m) => m.sparse.sparseReshape(int(m, [[0, 1]]), int(m, [2, 3]), int(m, [7])), tn.ValueError, /has 6 elements/);
    expectBothThrow([f32([2])], (m, v) => m.sparse.sparseFillEmptyRows(int(m, [[0, 0], [3, 1]]), v, int(m, [3, 2]), 0), tn.ValueError, /indices\[1, 0\] = 3 is not in \[0, 3\)/);
    expectBothThrow([f32([2])], (m, v) => m.sparse.sparseFillEmptyRows(int(m, [0, 1]), v, int(m, [3, 2]), 0), tn.ShapeError, /'indices' must be a matrix/);
  });
});

describe('ragged ops vs tfjs', () => {
  const rows = (m: Any) => int(m, [0, 3, 3, 6, 7]);
  const toDense = (shape: Any, parts: (m: Any) => Any[], types: string[], fill: Any = 0): DiffCase['fn'] =>
    (m, v) => m.raggedTensorToTensor(shape, v, typeof fill === 'function' ? fill(m) : fill, parts(m), types);
  run([
    ['raggedTensorToTensor row splits, bounding shape', { inputs: [f32([7])], fn: toDense([-1, -1], (m) => [rows(m)], ['ROW_SPLITS']), grads: false }],
    ['raggedTensorToTensor cut and padded', { inputs: [f32([7])], fn: (m, v) => [toDense([2, 2], (mm) => [rows(mm)], ['ROW_SPLITS'], 9)(m, v), toDense([6, 4], (mm) => [rows(mm)], ['ROW_SPLITS'], -1)(m, v)], grads: false }],
    ['raggedTensorToTensor int32 values', { inputs: [i32([7], [-9, 9])], fn: toDense([-1, 5], (m) => [rows(m)], ['ROW_SPLITS'], 4) }],
    ['raggedTensorToTensor value row ids', { inputs: [f32([7])], fn: toDense([-1, -1], (m) => [m.scalar(5, 'int32'), int(m, [0, 0, 2, 2, 2, 3, 3])], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']), grads: false }],
    ['raggedTensorToTensor value row ids cut', { inputs: [f32([7])], fn: toDense([3, 2], (m) => [m.scalar(4, 'int32'), int(m, [0, 0, 0, 2, 2, 2, 3])], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS']), grads: false }],
    ['raggedTensorToTensor two ragged levels', { inputs: [f32([7])], fn: toDense([-1, -1, -1], (m) => [int(m, [0, 1, 4]), rows(m)], ['ROW_SPLITS', 'ROW_SPLITS']), grads: false }],
    ['raggedTensorToTensor first dim size and splits', { inputs: [f32([7])], fn: toDense([-1, -1, 3], (m) => [m.scalar(2, 'int32'), int(m, [0, 1, 4]), rows(m)], ['FIRST_DIM_SIZE', 'ROW_SPLITS', 'ROW_SPLITS']), grads: false }],
    ['raggedTensorToTensor 2-D values, given inner dim', { inputs: [f32([3, 2])], fn: toDense([-1, -1, 2], (m) => [int(m, [0, 2, 2, 3])], ['ROW_SPLITS']), grads: false }],
    ['raggedGather 1-D indices', {
      inputs: [f32([6]), i32([4], [0, 3])],
      fn: (m, v, idx) => { const r = m.raggedGather([int(m, [0, 2, 3, 6])], v, idx, 1); return [...r.outputNestedSplits, r.outputDenseValues]; },
      grads: false,
    }],
    ['raggedGather 2-D indices, 2-D values', {
      inputs: [f32([6, 2]), i32([2, 2], [0, 3])],
      fn: (m, v, idx) => { const r = m.raggedGather([int(m, [0, 2, 3, 6])], v, idx, 2); return [...r.outputNestedSplits, r.outputDenseValues]; },
      grads: false,
    }],
    ['raggedGather two ragged levels, int32', {
      inputs: [i32([7], [-5, 5]), i32([3], [0, 3])],
      fn: (m, v, idx) => { const r = m.raggedGather([int(m, [0, 1, 1, 4]), rows(m)], v, idx, 2); return [...r.outputNestedSplits, r.outputDenseValues]; },
    }],
    ['raggedGather scalar index', {
      inputs: [f32([6])],
      fn: (m, v) => { const r = m.raggedGather([int(m, [0, 2, 3, 6])], v, m.scalar(2, 'int32'), 0); return [...r.outputNestedSplits, r.outputDenseValues]; },
      grads: false,
    }],
    ['raggedRange float vectors', { inputs: [], fn: (m) => { const r = m.raggedRange(m.tensor([0, 5, 1.5, 2]), m.tensor([3, 1, 2.6, -4]), m.tensor([1, -2, 0.3, 0.7])); return [r.rtNestedSplits, r.rtDenseValues]; } }],
    ['raggedRange random float starts, scalar limit and delta', { inputs: [f32([5], [-3, 3])], fn: (m, s) => { const r = m.raggedRange(s, 2.5, 0.4); return [r.rtNestedSplits, r.rtDenseValues]; }, grads: false }],
    ['raggedRange int32 with scalars', { inputs: [i32([4], [-6, 6])], fn: (m, s) => { const r = m.raggedRange(s, m.scalar(7, 'int32'), m.tensor([2, 3, -1, 1], undefined, 'int32')); return [r.rtNestedSplits, r.rtDenseValues]; } }],
    ['raggedRange all scalars', { inputs: [], fn: (m) => { const r = m.raggedRange(m.scalar(1, 'int32'), 10, 4); return [r.rtNestedSplits, r.rtDenseValues]; } }],
  ]);
  test('gradients by finite differences (tfjs has none)', async () => {
    const splits = tn.tensor([0, 3, 3, 6, 7], undefined, { dtype: 'int32' });
    await checkGradients(([v]) => tn.raggedTensorToTensor([3, 2], v, 0, [splits], ['ROW_SPLITS']), [{ shape: [7] }]);
    await checkGradients(([v, d]) => tn.raggedTensorToTensor([-1, -1, 2], v, d, [tn.tensor([0, 2, 2, 3], undefined, { dtype: 'int32' })], ['ROW_SPLITS']), [{ shape: [3, 2] }, { shape: [2] }]);
    await checkGradients(([v]) => tn.raggedGather([tn.tensor([0, 2, 3, 6], undefined, { dtype: 'int32' })], v, [2, 0, 2], 1).outputDenseValues, [{ shape: [6] }]);
  });
  test('non-scalar defaultValue fills the padding (tfjs writes zeros there) and -1 dims work with 2-D values', () => {
    const v = tn.tensor([[1, 2], [3, 4], [5, 6]]);
    const splits = tn.tensor([0, 2, 2, 3], undefined, { dtype: 'int32' });
    const padded = tn.raggedTensorToTensor([3, 3, 2], v, tn.tensor([7, 8]), [splits], ['ROW_SPLITS']);
    expect(padded.shape).toEqual([3, 3, 2]);
    expect(Array.from(padded.dataSync())).toEqual([1, 2, 3, 4, 7, 8, 7, 8, 7, 8, 7, 8, 5, 6, 7, 8, 7, 8]);
    const bounding = tn.raggedTensorToTensor(-1, v, 0, [splits], ['ROW_SPLITS']);
    expect(bounding.shape).toEqual([3, 2, 2]);
    expect(Array.from(bounding.dataSync())).toEqual(Array.from(tn.raggedTensorToTensor([-1, -1, 2], v, 0, [splits], ['ROW_SPLITS']).dataSync()));
  });
  test('bad arguments throw typed errors', () => {
    expectBothThrow([f32([7])], (m, v) => m.raggedTensorToTensor([-1, -1], v, 0, [int(m, [0, 3, 3, 6, 7])], ['ROW_LENGTHS']), tn.ValueError, /'ROW_LENGTHS' is not supported/);
    expectBothThrow([f32([7])], (m, v) => m.raggedTensorToTensor([-1, -1], v, 0, [], []), tn.ValueError, /non-empty array/);
    expectBothThrow([f32([7])], (m, v) => m.raggedTensorToTensor([-1, -1, -1], v, 0, [int(m, [0, 1, 3]), int(m, [0, 3, 3, 6, 7])], ['ROW_SPLITS', 'ROW_SPLITS']), tn.ValueError, /row partition 1 has 4 rows, the level above has 3/);
    expectBothThrow([f32([6])], (m, v) => m.raggedGather([int(m, [0, 2, 3, 6])], v, int(m, [3]), 1), tn.ValueError, /= 3 is not in \[0, 3\)/);
    expectBothThrow([f32([6])], (m, v) => m.raggedGather([int(m, [0, 4, 3, 6])], v, int(m, [1]), 1), tn.ValueError, /sorted in ascending order/);
    expectBothThrow([], (m) => m.raggedRange(m.tensor([0, 1]), m.tensor([3, 4, 5]), 1), tn.ShapeError, /one length/);
    expectBothThrow([], (m) => m.raggedRange(m.tensor([0, 1]), 4, m.tensor([1, 0])), tn.ValueError, /deltas\[1\] must not be 0/);
    // tfjs ignores a wrong outputRaggedRank; TensorFlow (and tensornode) reject it.
    expect(() => tn.raggedGather([tn.tensor([0, 2, 3, 6], undefined, { dtype: 'int32' })], tn.ones([6]), [1], 3)).toThrow(/'outputRaggedRank' must be .* = 1, got 3/);
  });
});
