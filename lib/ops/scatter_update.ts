// Scatters that overwrite (tfjs's sparseToDense and tensorScatterUpdate): the indices are read on the host (duplicates:
// the last one wins, out-of-range indices throw at the call, as in tfjs's kernels); the values move by one gather on
// the device, from the updates or from the base / default value, so any dtype works and gradients flow to both.
import { DTypeError, ShapeError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { full, tensor } from './creation';
import { gather } from './gather';
import { concat } from './layout';
import { reshape } from './reshape';
import { checkDType, checkSameDevice, checkShape, checkTensor } from './validate';

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/**
 * The row of each index tuple in a table of shape dims[:sliceRank] (flattened), checked per dim. Indices are read
 * synchronously: which rows they name decides the result.
 */
function tupleRows(op: string, indices: Tensor, sliceRank: number, dims: readonly number[]): Int32Array {
  const idx = indices.dataSync();
  const count = sliceRank === 0 ? 0 : idx.length / sliceRank;
  const rows = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    let row = 0;
    for (let j = 0; j < sliceRank; j++) {
      const v = idx[t * sliceRank + j];
      if (v < 0 || v >= dims[j]) {
        const tuple = Array.from(idx.subarray(t * sliceRank, (t + 1) * sliceRank));
        throw new ValueError(`${op}: index [${tuple}] (entry ${t}) is outside the shape [${dims}]`);
      }
      row = row * dims[j] + v;
    }
    rows[t] = row;
  }
  return rows;
}

/**
 * Gathers the result rows from [base rows (baseCount of them); update rows]: row r reads the last update aimed at it,
 * else its base row (`fallback(r)`).
 */
function overwrite(base: Tensor, updates: Tensor, targets: Int32Array, rowCount: number, fallback: (r: number) => number): Tensor {
  const source = Int32Array.from({ length: rowCount }, (_, r) => fallback(r));
  targets.forEach((r, j) => (source[r] = base.shape[0] + j));
  const table = concat([base, updates], 0);
  return gather(table, tensor(source, [rowCount], { dtype: 'int32', device: base.device }));
}

/**
 * A tensor of outputShape filled with defaultValue, with sparseValues (one per index, or a scalar for all) at the
 * positions in sparseIndices (int32: a scalar or a vector for a 1-D output, [n, rank] otherwise).
 */
export function sparseToDense(sparseIndices: Tensor, sparseValues: Tensor, outputShape: number[], defaultValue: number | Tensor = 0): Tensor {
  const op = 'sparseToDense';
  const shape = checkShape(op, 'outputShape', outputShape);
  checkTensor(op, 'sparseIndices', sparseIndices);
  checkTensor(op, 'sparseValues', sparseValues);
  checkDType(op, 'sparseIndices', sparseIndices, 'int32');
  checkSameDevice(op, { sparseIndices, sparseValues });
  if (sparseIndices.rank > 2) throw new ShapeError(`${op}: 'sparseIndices' must be a scalar, vector or matrix, got shape [${sparseIndices.shape}]`);
  const count = sparseIndices.rank > 0 ? sparseIndices.shape[0] : 1;
  const rank = sparseIndices.rank > 1 ? sparseIndices.shape[1] : 1;
  if (shape.length !== rank) throw new ShapeError(`${op}: 'outputShape' [${shape}] must have ${rank} dims (the columns of sparseIndices [${sparseIndices.shape}])`);
  if (!(sparseValues.rank === 0 || (sparseValues.rank === 1 && sparseValues.size === count))) {
    throw new ShapeError(`${op}: 'sparseValues' has shape [${sparseValues.shape}], expected [] or [${count}]`);
  }
  let fill: Tensor;
  if (defaultValue instanceof Tensor) {
    checkTensor(op, 'defaultValue', defaultValue);
    if (defaultValue.dtype !== sparseValues.dtype) throw new DTypeError(`${op}: 'defaultValue' is ${defaultValue.dtype} but 'sparseValues' is ${sparseValues.dtype}`);
    if (defaultValue.size !== 1) throw new ShapeError(`${op}: 'defaultValue' must be a single value, got shape [${defaultValue.shape}]`);
    fill = reshape(defaultValue, [1]);
  } else if (typeof defaultValue === 'number' || typeof defaultValue === 'boolean') {
    fill = full([1], Number(defaultValue), { dtype: sparseValues.dtype, device: sparseValues.device });
  } else {
    throw new ValueError(`${op}: 'defaultValue' must be a number or a scalar Tensor, got ${typeof defaultValue}`);
  }
  const rows = tupleRows(op, sparseIndices, rank, shape);
  const values = sparseValues.rank === 0 ? gather(reshape(sparseValues, [1]), new Array(count).fill(0)) : sparseValues;
  const out = overwrite(fill, values, rows, prod(shape), () => 0);
  return reshape(out, shape);
}

/**
 * A copy of `tensor` with the slices named by indices ([..., K] int32, K-tuples into its first K dims; a 1-D indices
 * is a list of single indices) replaced by `updates` (shape indices[:-1] + tensor.shape[K:]).
 */
export function tensorScatterUpdate(tensor: Tensor, indices: Tensor, updates: Tensor): Tensor {
  const op = 'tensorScatterUpdate';
  checkTensor(op, 'tensor', tensor);
  checkTensor(op, 'indices', indices);
  checkTensor(op, 'updates', updates);
  checkDType(op, 'indices', indices, 'int32');
  checkSameDevice(op, { tensor, indices, updates });
  if (updates.dtype !== tensor.dtype) throw new DTypeError(`${op}: 'updates' is ${updates.dtype} but 'tensor' is ${tensor.dtype}`);
  if (indices.rank < 1 || tensor.rank < 1) throw new ShapeError(`${op}: 'indices' [${indices.shape}] and 'tensor' [${tensor.shape}] must have rank >= 1`);
  const k = indices.rank > 1 ? indices.shape[indices.rank - 1] : 1;
  const lead = indices.rank > 1 ? indices.shape.slice(0, -1) : indices.shape;
  if (k > tensor.rank) throw new ShapeError(`${op}: index tuples of length ${k} (indices [${indices.shape}]) exceed the rank of tensor [${tensor.shape}]`);
  const rest = tensor.shape.slice(k);
  const want = [...lead, ...rest];
  if (want.join() !== updates.shape.join()) {
    throw new ShapeError(`${op}: 'updates' has shape [${updates.shape}], expected [${want}] (indices [${indices.shape}], tensor [${tensor.shape}])`);
  }
  const rowCount = prod(tensor.shape.slice(0, k));
  const rows = tupleRows(op, indices, k, tensor.shape);
  const base = reshape(tensor, [rowCount, ...rest]);
  const out = overwrite(base, reshape(updates, [rows.length, ...rest]), rows, rowCount, (r) => r);
  return reshape(out, tensor.shape);
}
