// tfjs's tf.sparse: sparseSegmentSum/Mean, sparseReshape, sparseFillEmptyRows. Their output sizes depend on index
// values, so the int32 index arguments are read synchronously on the host (tfjs's CPU kernels are host code too);
// the data values themselves move with gather / unsortedSegmentSum, so dtype, device and gradients carry through.
import { DTypeError, ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { full, tensor } from './creation';
import { div, floorDiv, less, neg } from './elementwise';
import { gather } from './gather';
import { concat } from './layout';
import { where } from './logical';
import { reshape } from './reshape';
import { unsortedSegmentSum } from './segment';
import { intValues, toTensorArg } from './host_inputs';
import { checkSameDevice } from './validate';

type Like = Parameters<typeof toTensorArg>[2];

function checkRankIs(op: string, arg: string, t: Tensor, rank: number, what: string): void {
  if (t.rank !== rank) throw new ShapeError(`${op}: '${arg}' must be ${what} (rank ${rank}), got shape [${t.shape}]`);
}

/** The checked segment layout: output rows and, per row, how many indices fall in it. */
function segmentPlan(op: string, data: Tensor, indices: number[], segmentIds: number[]): { rows: number; counts: number[] } {
  const n = indices.length;
  const rows = n > 0 ? segmentIds[n - 1] + 1 : 0;
  const counts = new Array<number>(Math.max(rows, 0)).fill(0);
  for (let i = 0; i < n; i++) {
    const s = segmentIds[i];
    if (s < 0) throw new ValueError(`${op}: segment ids must be >= 0, got ${s} at position ${i}`);
    if (i > 0 && s < segmentIds[i - 1]) throw new ValueError(`${op}: segment ids must be sorted in increasing order, got ${segmentIds[i - 1]} then ${s} at position ${i}`);
    if (indices[i] < 0 || indices[i] >= data.shape[0]) throw new ValueError(`${op}: indices[${i}] = ${indices[i]} is not in [0, ${data.shape[0]})`);
    counts[s]++;
  }
  return { rows, counts };
}

function segmentReduce(op: string, dataLike: Like, indicesLike: Like, segmentIdsLike: Like, isMean: boolean): Tensor {
  const data = toTensorArg(op, 'data', dataLike);
  if (data.dtype === 'bool') throw new DTypeError(`${op}: 'data' must be float32 or int32, got bool`);
  const indices = toTensorArg(op, 'indices', indicesLike, 'int32', data.device);
  const segmentIds = toTensorArg(op, 'segmentIds', segmentIdsLike, 'int32', data.device);
  checkSameDevice(op, { data, indices, segmentIds });
  if (data.rank < 1) throw new ShapeError(`${op}: 'data' must have rank >= 1, got a scalar`);
  checkRankIs(op, 'indices', indices, 1, 'a vector');
  checkRankIs(op, 'segmentIds', segmentIds, 1, 'a vector');
  if (indices.size !== segmentIds.size) throw new ShapeError(`${op}: 'indices' and 'segmentIds' must have the same length, got ${indices.size} and ${segmentIds.size}`);
  const { rows, counts } = segmentPlan(op, data, intValues(indices), intValues(segmentIds));
  const sums = unsortedSegmentSum(gather(data, indices), segmentIds, rows);
  if (!isMean) return sums;
  // An empty segment is 0 either way; divide it by 1.
  const perRow = tensor(counts.map((c) => Math.max(c, 1)), [rows, ...data.shape.slice(1).map(() => 1)], { dtype: data.dtype, device: data.device });
  if (data.dtype === 'float32') return div(sums, perRow);
  // int32 means truncate toward zero, as tfjs's int32 kernel does (floorDiv alone would round negatives down).
  const zero = full([], 0, { dtype: 'int32', device: data.device });
  return where(less(sums, zero), neg(floorDiv(neg(sums), perRow)), floorDiv(sums, perRow));
}

/**
 * Sums rows of `data` picked by `indices` into the segments `segmentIds` names (sorted, int32): row s of the result
 * sums data[indices[i]] over the i with segmentIds[i] = s; there are last id + 1 rows, the skipped ones 0.
 */
function sparseSegmentSum(data: Like, indices: Like, segmentIds: Like): Tensor {
  return segmentReduce('sparseSegmentSum', data, indices, segmentIds, false);
}

/** sparseSegmentSum divided by each segment's count (int32 data: truncated toward zero); empty segments are 0. */
function sparseSegmentMean(data: Like, indices: Like, segmentIds: Like): Tensor {
  return segmentReduce('sparseSegmentMean', data, indices, segmentIds, true);
}

/** newShape with its -1 (at most one) resolved against the dense size, checked as tfjs's kernel does. */
function resolveShape(op: string, denseSize: number, inputShape: number[], newShape: number[]): number[] {
  let unknown = -1;
  let product = 1;
  const out = newShape.map((d, i) => {
    if (d === -1) {
      if (unknown !== -1) throw new ValueError(`${op}: only one dimension of 'newShape' may be -1, got -1 at ${unknown} and ${i}`);
      unknown = i;
      return 1;
    }
    if (d < 0) throw new ValueError(`${op}: 'newShape'[${i}] must be >= 0 or -1, got ${d}`);
    product *= d;
    return d;
  });
  if (unknown !== -1) {
    if (product <= 0) throw new ValueError(`${op}: 'newShape' has a -1 and a 0 dimension; the -1 cannot be inferred`);
    const missing = Math.trunc(denseSize / product);
    if (missing * product !== denseSize) throw new ValueError(`${op}: input shape [${inputShape}] has ${denseSize} elements, not a multiple of ${product} (the known dims of [${newShape}])`);
    out[unknown] = missing;
  }
  const size = out.reduce((a, b) => a * b, 1);
  if (size !== denseSize) throw new ValueError(`${op}: input shape [${inputShape}] has ${denseSize} elements, 'newShape' [${out}] has ${size}`);
  return out;
}

/**
 * Reshapes a sparse tensor: the [nnz, inRank] coordinates of a tensor of `inputShape` become [nnz, outRank]
 * coordinates of `newShape` (one -1 allowed), in the same order; returns them and the resolved shape (int32).
 */
function sparseReshape(inputIndices: Like, inputShape: Like, newShape: Like): { outputIndices: Tensor; outputShape: Tensor } {
  const op = 'sparseReshape';
  const indices = toTensorArg(op, 'inputIndices', inputIndices, 'int32');
  const shapeIn = toTensorArg(op, 'inputShape', inputShape, 'int32', indices.device);
  const shapeNew = toTensorArg(op, 'newShape', newShape, 'int32', indices.device);
  checkRankIs(op, 'inputIndices', indices, 2, 'a matrix');
  checkRankIs(op, 'inputShape', shapeIn, 1, 'a vector');
  checkRankIs(op, 'newShape', shapeNew, 1, 'a vector');
  const inShape = intValues(shapeIn);
  if (indices.shape[1] !== inShape.length) throw new ShapeError(`${op}: 'inputIndices' has ${indices.shape[1]} columns but 'inputShape' has rank ${inShape.length}`);
  const denseSize = inShape.reduce((a, b) => a * b, 1);
  const outShape = resolveShape(op, denseSize, inShape, intValues(shapeNew));
  const strides = (s: number[]): number[] => s.map((_, d) => s.slice(d + 1).reduce((a, b) => a * b, 1));
  const inStrides = strides(inShape);
  const outStrides = strides(outShape);
  const coords = intValues(indices);
  const [nnz, inRank] = indices.shape;
  const outRank = outShape.length;
  const out = new Int32Array(nnz * outRank);
  for (let i = 0; i < nnz; i++) {
    let flat = 0;
    for (let d = 0; d < inRank; d++) flat += coords[i * inRank + d] * inStrides[d];
    for (let d = 0; d < outRank; d++) {
      out[i * outRank + d] = Math.trunc(flat / outStrides[d]);
      flat %= outStrides[d];
    }
  }
  return {
    outputIndices: tensor(out, [nnz, outRank], { dtype: 'int32', device: indices.device }),
    outputShape: tensor(outShape, [outRank], { dtype: 'int32', device: indices.device }),
  };
}

/**
 * Gives every empty row of a sparse tensor one entry [row, 0, ...] holding defaultValue. Entries are grouped by row
 * (stable within a row). Returns the new indices and values, a bool per dense row saying it was empty, and for each
 * input entry its position in the output.
 */
function sparseFillEmptyRows(
  indices: Like,
  values: Like,
  denseShape: Like,
  defaultValue: Like,
): { outputIndices: Tensor; outputValues: Tensor; emptyRowIndicator: Tensor; reverseIndexMap: Tensor } {
  const op = 'sparseFillEmptyRows';
  const idx = toTensorArg(op, 'indices', indices, 'int32');
  const vals = toTensorArg(op, 'values', values, undefined, idx.device);
  const shape = toTensorArg(op, 'denseShape', denseShape, 'int32', idx.device);
  const fill = toTensorArg(op, 'defaultValue', defaultValue, vals.dtype, idx.device);
  checkSameDevice(op, { indices: idx, values: vals, denseShape: shape, defaultValue: fill });
  checkRankIs(op, 'indices', idx, 2, 'a matrix');
  checkRankIs(op, 'values', vals, 1, 'a vector');
  checkRankIs(op, 'denseShape', shape, 1, 'a vector');
  checkRankIs(op, 'defaultValue', fill, 0, 'a scalar');
  const [n, rank] = idx.shape;
  if (vals.size !== n) throw new ShapeError(`${op}: 'values' has ${vals.size} entries but 'indices' has ${n} rows`);
  const denseRows = intValues(shape)[0] ?? 0;
  const coords = intValues(idx);
  if (denseRows === 0 && n > 0) throw new ValueError(`${op}: 'denseShape' has 0 rows but there are ${n} indices`);
  const perRow = new Array<number>(denseRows).fill(0);
  for (let i = 0; i < n; i++) {
    const row = coords[i * rank];
    if (row < 0 || row >= denseRows) throw new ValueError(`${op}: indices[${i}, 0] = ${row} is not in [0, ${denseRows})`);
    perRow[row]++;
  }
  // Each row's first output position: rows are laid out in order, an empty one taking a single slot.
  const start = new Array<number>(denseRows);
  let total = 0;
  for (let r = 0; r < denseRows; r++) {
    start[r] = total;
    total += Math.max(perRow[r], 1);
  }
  const outCoords = new Int32Array(total * rank);
  const source = new Int32Array(total).fill(n); // n: the default value's slot in the gather below
  const reverse = new Int32Array(n);
  const filled = new Array<number>(denseRows).fill(0);
  for (let i = 0; i < n; i++) {
    const row = coords[i * rank];
    const at = start[row] + filled[row]++;
    for (let d = 0; d < rank; d++) outCoords[at * rank + d] = coords[i * rank + d];
    source[at] = i;
    reverse[i] = at;
  }
  for (let r = 0; r < denseRows; r++) if (perRow[r] === 0) outCoords[start[r] * rank] = r;
  const device = idx.device;
  return {
    outputIndices: tensor(outCoords, [total, rank], { dtype: 'int32', device }),
    outputValues: gather(concat([vals, reshape(fill, [1])]), tensor(source, [total], { dtype: 'int32', device })),
    emptyRowIndicator: tensor(perRow.map((c) => c === 0), [denseRows], { dtype: 'bool', device }),
    reverseIndexMap: tensor(reverse, [n], { dtype: 'int32', device }),
  };
}

/** tfjs's tf.sparse namespace. */
export const sparse = { sparseSegmentSum, sparseSegmentMean, sparseReshape, sparseFillEmptyRows };
