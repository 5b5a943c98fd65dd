// tfjs's ragged ops: raggedGather, raggedRange, raggedTensorToTensor. A ragged tensor is flat values plus int32 row
// partitions; the partitions decide the output sizes, so they are read synchronously on the host (tfjs's CPU kernels
// are host code too). Values move with one gather where they can, so dtype, device and gradients carry through.
import { DTypeError, ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { gather } from './gather';
import { concat } from './layout';
import { reshape } from './reshape';
import { broadcastTo } from './shape_utils';
import { intValues, toTensorArg } from './host_inputs';
import { checkSameDevice } from './validate';

type Like = Parameters<typeof toTensorArg>[2];
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Splits must be non-empty, start >= 0, ascend, and end within the next level's size. */
function checkSplits(op: string, splits: number[][], numValues: number): void {
  splits.forEach((s, dim) => {
    const limit = dim === splits.length - 1 ? numValues : splits[dim + 1].length - 1;
    const what = `paramsNestedSplits[${dim}]`;
    if (s.length === 0) throw new ValueError(`${op}: '${what}' must not be empty`);
    if (s[0] < 0) throw new ValueError(`${op}: '${what}' must be non-negative, starts at ${s[0]}`);
    for (let i = 1; i < s.length; i++) if (s[i] < s[i - 1]) throw new ValueError(`${op}: '${what}' must be sorted in ascending order, got ${s[i - 1]} then ${s[i]}`);
    if (s[s.length - 1] > limit) throw new ValueError(`${op}: '${what}' points past the values: ends at ${s[s.length - 1]}, there are ${limit}`);
  });
}

/**
 * Gathers rows of a ragged tensor (params: nested row splits over dense values) at `indices` (int32, any rank): the
 * result's splits are the uniform splits of indices' outer dims followed by the gathered rows' splits, and its values
 * the gathered values. outputRaggedRank must be indices.rank + paramsNestedSplits.length - 1.
 */
export function raggedGather(
  paramsNestedSplits: Tensor[],
  paramsDenseValues: Like,
  indices: Like,
  outputRaggedRank: number,
): { outputNestedSplits: Tensor[]; outputDenseValues: Tensor } {
  const op = 'raggedGather';
  if (!Array.isArray(paramsNestedSplits) || paramsNestedSplits.length === 0) throw new ValueError(`${op}: 'paramsNestedSplits' must be a non-empty array of int32 tensors`);
  const values = toTensorArg(op, 'paramsDenseValues', paramsDenseValues);
  const device = values.device;
  const splitTensors = paramsNestedSplits.map((s, i) => toTensorArg(op, `paramsNestedSplits[${i}]`, s, 'int32', device));
  const idx = toTensorArg(op, 'indices', indices, 'int32', device);
  checkSameDevice(op, { paramsDenseValues: values, indices: idx, ...Object.fromEntries(splitTensors.map((s, i) => [`paramsNestedSplits[${i}]`, s])) });
  splitTensors.forEach((s, i) => {
    if (s.rank !== 1) throw new ShapeError(`${op}: 'paramsNestedSplits[${i}]' must be a vector, got shape [${s.shape}]`);
  });
  if (values.rank === 0) throw new ShapeError(`${op}: 'paramsDenseValues' must have rank >= 1, got a scalar`);
  const numSplits = idx.rank - 1 + splitTensors.length;
  if (!Number.isInteger(outputRaggedRank) || outputRaggedRank !== numSplits) {
    throw new ValueError(`${op}: 'outputRaggedRank' must be indices.rank + paramsNestedSplits.length - 1 = ${numSplits}, got ${outputRaggedRank}`);
  }
  const splits = splitTensors.map(intValues);
  const numParams = splits[0].length - 1;
  const at = intValues(idx);
  at.forEach((v, i) => {
    if (v < 0 || v >= numParams) throw new ValueError(`${op}: indices (flat position ${i}) = ${v} is not in [0, ${numParams})`);
  });
  checkSplits(op, splits, values.shape[0]);
  const out: number[][] = Array.from({ length: numSplits }, () => [0]);
  // Uniform splits for the outer dims of indices: [0, w, 2w, ...] with w the next dim's size.
  let rows = 1;
  for (let d = 0; d < idx.rank - 1; d++) {
    rows *= idx.shape[d];
    for (let i = 1; i <= rows; i++) out[d].push(i * idx.shape[d + 1]);
  }
  // Each index selects a range of rows at every ragged level; copy their lengths and collect the value rows.
  const valueRows: number[] = [];
  for (const index of at) {
    let lo = index;
    let hi = index + 1;
    splits.forEach((s, dim) => {
      const target = out[dim + idx.rank - 1];
      if (target !== undefined) {
        const shift = target[target.length - 1] - s[lo];
        for (let j = lo; j < hi; j++) target.push(s[j + 1] + shift);
      }
      [lo, hi] = [s[lo], s[hi]];
    });
    for (let r = lo; r < hi; r++) valueRows.push(r);
  }
  return {
    outputNestedSplits: out.map((s) => tensor(s, [s.length], { dtype: 'int32', device })),
    outputDenseValues: gather(values, tensor(valueRows, [valueRows.length], { dtype: 'int32', device })),
  };
}

/**
 * Ranges as a ragged tensor: row i holds starts[i], starts[i] + deltas[i], ... up to (not including) limits[i].
 * starts, limits and deltas are scalars or vectors of one length (scalars repeat), float32 or int32 (limits and deltas
 * take starts' dtype). Values are accumulated in double precision and stored in that dtype, as tfjs does.
 */
export function raggedRange(starts: Like, limits: Like, deltas: Like): { rtNestedSplits: Tensor; rtDenseValues: Tensor } {
  const op = 'raggedRange';
  const s = toTensorArg(op, 'starts', starts);
  if (s.dtype === 'bool') throw new DTypeError(`${op}: 'starts' must be float32 or int32, got bool`);
  const l = toTensorArg(op, 'limits', limits, s.dtype, s.device);
  const d = toTensorArg(op, 'deltas', deltas, s.dtype, s.device);
  checkSameDevice(op, { starts: s, limits: l, deltas: d });
  const args = [['starts', s], ['limits', l], ['deltas', d]] as const;
  for (const [name, t] of args) if (t.rank > 1) throw new ShapeError(`${op}: '${name}' must be a scalar or a vector, got shape [${t.shape}]`);
  const lengths = args.filter(([, t]) => t.rank === 1).map(([name, t]) => [name, t.size] as const);
  for (const [name, n] of lengths) {
    if (n !== lengths[0][1]) throw new ShapeError(`${op}: the vectors among starts, limits and deltas must have one length, got ${lengths[0][0]} ${lengths[0][1]} and ${name} ${n}`);
  }
  const rows = lengths.length > 0 ? lengths[0][1] : 1;
  const [sv, lv, dv] = [s, l, d].map((t) => {
    const v = Array.from(t.dataSync() as ArrayLike<number>);
    return (i: number): number => (t.rank === 0 ? v[0] : v[i]);
  });
  const splits = new Int32Array(rows + 1);
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    const [start, limit, delta] = [sv(i), lv(i), dv(i)];
    if (delta === 0) throw new ValueError(`${op}: deltas[${i}] must not be 0`);
    const size = (delta > 0 && limit < start) || (delta < 0 && limit > start) ? 0 : Math.ceil(Math.abs((limit - start) / delta));
    if (size > 2 ** 31 - 1) throw new ValueError(`${op}: row ${i} would have ${size} values, more than int32 can count`);
    let value = start;
    for (let k = 0; k < size; k++, value += delta) out.push(value);
    splits[i + 1] = splits[i] + size;
  }
  return {
    rtNestedSplits: tensor(splits, [rows + 1], { dtype: 'int32', device: s.device }),
    rtDenseValues: tensor(s.dtype === 'int32' ? Int32Array.from(out) : Float32Array.from(out), [out.length], { dtype: s.dtype, device: s.device }),
  };
}

type PartitionType = 'FIRST_DIM_SIZE' | 'VALUE_ROWIDS' | 'ROW_SPLITS';
const PARTITION_TYPES = ['FIRST_DIM_SIZE', 'VALUE_ROWIDS', 'ROW_SPLITS'];
// TensorFlow's other partition types, which tfjs's kernel refuses as well.
const UNSUPPORTED_TYPES = ['ROW_LENGTHS', 'ROW_LIMITS', 'ROW_STARTS'];

/** The largest row of a partition: the widest split interval, or the longest run of equal value row ids. */
function maxWidth(type: PartitionType, p: number[]): number {
  let widest = 0;
  if (type === 'ROW_SPLITS') {
    for (let i = 0; i + 1 < p.length; i++) widest = Math.max(widest, p[i + 1] - p[i]);
    return widest;
  }
  for (let i = 0, runStart = 0; i <= p.length; i++) {
    if (i === p.length || p[i] !== p[runStart]) {
      widest = Math.max(widest, i - runStart);
      runStart = i;
    }
  }
  return widest;
}

/**
 * Converts a ragged tensor (flat `values` and its row partitions, described by `rowPartitionTypes`: 'ROW_SPLITS', or
 * 'FIRST_DIM_SIZE' followed by 'VALUE_ROWIDS'/'ROW_SPLITS') to a dense tensor of `shape` (-1 dims, or a scalar -1 for
 * the whole shape, take the ragged tensor's own bounding size). Rows are padded with defaultValue (broadcast to one
 * value's shape) and cut where the shape is smaller.
 */
export function raggedTensorToTensor(shape: Like, values: Like, defaultValue: Like, rowPartitionTensors: Tensor[], rowPartitionTypes: string[]): Tensor {
  const op = 'raggedTensorToTensor';
  const vals = toTensorArg(op, 'values', values);
  const device = vals.device;
  const shapeT = toTensorArg(op, 'shape', shape, 'int32', device);
  const fill = toTensorArg(op, 'defaultValue', defaultValue, vals.dtype, device);
  if (!Array.isArray(rowPartitionTensors)) throw new ValueError(`${op}: 'rowPartitionTensors' must be an array of int32 tensors`);
  if (!Array.isArray(rowPartitionTypes) || rowPartitionTypes.length === 0) throw new ValueError(`${op}: 'rowPartitionTypes' must be a non-empty array of partition type names`);
  const partitions = rowPartitionTensors.map((t, i) => toTensorArg(op, `rowPartitionTensors[${i}]`, t, 'int32', device));
  checkSameDevice(op, { values: vals, shape: shapeT, defaultValue: fill, ...Object.fromEntries(partitions.map((t, i) => [`rowPartitionTensors[${i}]`, t])) });
  rowPartitionTypes.forEach((t, i) => {
    if (UNSUPPORTED_TYPES.includes(t)) throw new ValueError(`${op}: row partition type '${t}' is not supported (use 'ROW_SPLITS' or 'VALUE_ROWIDS')`);
    if (!PARTITION_TYPES.includes(t)) throw new ValueError(`${op}: unknown row partition type ${JSON.stringify(t)} at ${i} (expected one of ${PARTITION_TYPES.join(', ')})`);
    if (t === 'FIRST_DIM_SIZE' && i !== 0) throw new ValueError(`${op}: 'FIRST_DIM_SIZE' may only be the first row partition type`);
  });
  if (partitions.length !== rowPartitionTypes.length) throw new ValueError(`${op}: ${partitions.length} row partition tensors for ${rowPartitionTypes.length} row partition types`);
  const types = rowPartitionTypes as PartitionType[];
  const hasFirstDim = types[0] === 'FIRST_DIM_SIZE';
  const levels = types.slice(hasFirstDim ? 1 : 0);
  const levelValues = partitions.slice(hasFirstDim ? 1 : 0).map(intValues);
  const raggedRank = levels.length;
  if (raggedRank === 0) throw new ValueError(`${op}: 'rowPartitionTypes' needs at least one 'ROW_SPLITS' or 'VALUE_ROWIDS' partition`);
  if (levels[0] === 'VALUE_ROWIDS' && !hasFirstDim) throw new ValueError(`${op}: 'VALUE_ROWIDS' as the first partition needs a 'FIRST_DIM_SIZE' before it`);
  partitions.forEach((t, i) => {
    const scalar = hasFirstDim && i === 0;
    if (t.rank !== (scalar ? 0 : 1)) throw new ShapeError(`${op}: 'rowPartitionTensors[${i}]' must be a ${scalar ? 'scalar' : 'vector'}, got shape [${t.shape}]`);
  });
  if (vals.rank === 0) throw new ShapeError(`${op}: 'values' must have rank >= 1, got a scalar`);
  const firstDim = hasFirstDim ? intValues(partitions[0])[0] : levelValues[0].length - 1;
  if (levels[0] === 'ROW_SPLITS' && levelValues[0].length === 0) throw new ValueError(`${op}: the first row partition must not be empty`);

  // The requested shape: a scalar -1 leaves the whole shape to the data; otherwise rank raggedRank + values.rank.
  const outRank = raggedRank + vals.rank;
  const requested = intValues(shapeT);
  let dims: number[];
  if (shapeT.rank === 0) {
    if (requested[0] !== -1) throw new ValueError(`${op}: a scalar 'shape' must be -1 (unknown), got ${requested[0]}`);
    dims = new Array<number>(outRank).fill(-1);
  } else {
    if (shapeT.rank !== 1) throw new ShapeError(`${op}: 'shape' must be a vector or a scalar -1, got shape [${shapeT.shape}]`);
    if (requested.length !== outRank) throw new ShapeError(`${op}: 'shape' has ${requested.length} dims, the ragged tensor has rank ${outRank} (ragged rank ${raggedRank} + values rank ${vals.rank})`);
    dims = requested.map((d, i) => {
      if (d < -1) throw new ValueError(`${op}: 'shape'[${i}] must be >= -1, got ${d}`);
      return d;
    });
  }
  const inner = vals.shape.slice(1);
  inner.forEach((d, i) => {
    const at = raggedRank + 1 + i;
    if (dims[at] === -1) dims[at] = d;
    else if (dims[at] !== d) throw new ShapeError(`${op}: 'shape'[${at}] is ${dims[at]} but the values have ${d} there`);
  });
  if (dims[0] === -1) dims[0] = firstDim;
  for (let i = 1; i <= raggedRank; i++) if (dims[i] === -1) dims[i] = maxWidth(levels[i - 1], levelValues[i - 1]);

  // The slot each value lands in (over the outer raggedRank + 1 dims), or -1 when cut off: walk the levels,
  // giving every row its parent's slot plus its position times the level's stride.
  const strides = dims.slice(0, raggedRank + 1).map((_, i) => prod(dims.slice(i + 1, raggedRank + 1)));
  let slots = Array.from({ length: firstDim }, (_, i) => (i < dims[0] ? i * strides[0] : -1));
  levels.forEach((type, l) => {
    const p = levelValues[l];
    const width = dims[l + 1];
    const stride = strides[l + 1];
    const next: number[] = [];
    if (type === 'ROW_SPLITS') {
      if (p.length - 1 > slots.length) throw new ValueError(`${op}: row partition ${l} has ${p.length - 1} rows, the level above has ${slots.length}`);
      for (let r = 0; r + 1 < p.length; r++) {
        if (p[r + 1] < p[r]) throw new ValueError(`${op}: row partition ${l} must ascend, got ${p[r]} then ${p[r + 1]}`);
        for (let k = 0; k < p[r + 1] - p[r]; k++) next.push(slots[r] >= 0 && k < width ? slots[r] + k * stride : -1);
      }
    } else {
      let column = 0;
      p.forEach((row, k) => {
        if (row < 0 || row >= slots.length) throw new ValueError(`${op}: value row id ${row} (at ${k}) of partition ${l} is not in [0, ${slots.length})`);
        if (k > 0 && row < p[k - 1]) throw new ValueError(`${op}: value row ids of partition ${l} must be sorted, got ${p[k - 1]} then ${row}`);
        column = k > 0 && row === p[k - 1] ? column + 1 : 0;
        next.push(slots[row] >= 0 && column < width ? slots[row] + column * stride : -1);
      });
    }
    slots = next;
  });
  if (slots.length !== vals.shape[0]) throw new ShapeError(`${op}: the row partitions describe ${slots.length} values, 'values' has ${vals.shape[0]}`);

  // One gather from the values with the default appended as a last row.
  const numSlots = prod(dims.slice(0, raggedRank + 1));
  const source = new Int32Array(numSlots).fill(vals.shape[0]);
  slots.forEach((slot, i) => {
    if (slot >= 0) source[slot] = i;
  });
  let pad: Tensor;
  try {
    pad = broadcastTo(fill, inner);
  } catch {
    throw new ShapeError(`${op}: 'defaultValue' of shape [${fill.shape}] does not broadcast to a value's shape [${inner}]`);
  }
  const table = concat([vals, reshape(pad, [1, ...inner])]);
  return reshape(gather(table, tensor(source, [numSlots], { dtype: 'int32', device })), dims);
}
