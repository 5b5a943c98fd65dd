// Counting and segment sums: unsortedSegmentSum (scatter_add on the device, differentiable), bincount and
// denseBincount (counted on the host, as tfjs's kernels do, since a negative value must throw at the call).
import { DTypeError, ShapeError, ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { full, tensor } from './creation';
import { greaterEqual, less } from './elementwise';
import { slice } from './layout';
import { logicalAnd, where } from './logical';
import { cast, reshape } from './reshape';
import { checkDType, checkNumber, checkSameDevice, checkTensor } from './validate';

/**
 * Sums the slices of x that share a segment id: y[s] = sum of x[i...] over the positions i where segmentIds[i] = s,
 * for s in [0, numSegments). segmentIds (int32) has a prefix of x's shape; ids outside [0, numSegments) are dropped
 * (as tfjs). The gradient gathers dy back at each id (0 for dropped ones).
 */
export function unsortedSegmentSum(x: Tensor, segmentIds: Tensor, numSegments: number): Tensor {
  const op = 'unsortedSegmentSum';
  checkTensor(op, 'x', x);
  checkTensor(op, 'segmentIds', segmentIds);
  checkDType(op, 'segmentIds', segmentIds, 'int32');
  checkSameDevice(op, { x, segmentIds });
  checkNumber(op, 'numSegments', numSegments, { min: 0, integer: true });
  const k = segmentIds.rank;
  if (k > x.rank || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`${op}: 'segmentIds' [${segmentIds.shape}] must be a prefix of x's shape [${x.shape}]`);
  }
  const rest = x.shape.slice(k);
  const rows = reshape(x.dtype === 'bool' ? cast(x, 'int32') : x, [segmentIds.size, ...rest]);
  const scalar = (v: number): Tensor => full([], v, { dtype: 'int32', device: x.device });
  // Dropped ids go to a scratch segment numSegments, sliced off below.
  const ids = reshape(segmentIds, [segmentIds.size]);
  const valid = logicalAnd(greaterEqual(ids, scalar(0)), less(ids, scalar(numSegments)));
  const target = where(valid, ids, scalar(numSegments));
  const [sums] = runKernel('scatter_add', [rows, target], [{ shape: [numSegments + 1, ...rest], dtype: rows.dtype }], { axis: 0 });
  const y = recordOp(op, [rows], sums, (dy) => [runKernel('gather', [dy, target], [{ shape: rows.shape, dtype: dy.dtype }], { axis: 0 })[0]]);
  return slice(y, [0, ...rest.map(() => 0)], [numSegments, ...rest]);
}

/** Checks shared by bincount and denseBincount; returns the host values of x and of the weights (empty: count 1s). */
function bincountInputs(op: string, x: Tensor, weights: Tensor, size: number): [ArrayLike<number>, ArrayLike<number>] {
  checkTensor(op, 'x', x);
  checkTensor(op, 'weights', weights);
  checkDType(op, 'x', x, 'int32');
  checkDType(op, 'weights', weights, 'float32', 'int32');
  checkNumber(op, 'size', size, { min: 0, integer: true });
  if (weights.size !== 0 && weights.size !== x.size) {
    throw new ShapeError(`${op}: 'weights' [${weights.shape}] must have as many values as x [${x.shape}] (${x.size}) or none`);
  }
  // The counts depend on every value, and a negative one must throw here: read them synchronously (as tfjs does).
  const xs = x.dataSync();
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < 0) throw new ValueError(`${op}: 'x' must be non-negative, got ${xs[i]} at position ${i}`);
  }
  return [xs, weights.size ? weights.dataSync() : []];
}

/** Counts of each value of x (int32, any shape) in [0, size), or sums of the weights at those values; larger values are ignored. */
export function bincount(x: Tensor, weights: Tensor, size: number): Tensor {
  const [xs, ws] = bincountInputs('bincount', x, weights, size);
  const out = weights.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  for (let i = 0; i < xs.length; i++) if (xs[i] < size) out[xs[i]] += ws.length ? ws[i] : 1;
  return tensor(out, [size], { dtype: weights.dtype, device: x.device });
}

/**
 * bincount of a 1-D x, or of each row of a 2-D x ([rows, size] out); binaryOutput gives 1 where a value occurs
 * instead of its count or weight sum.
 */
export function denseBincount(x: Tensor, weights: Tensor, size: number, binaryOutput = false): Tensor {
  const op = 'denseBincount';
  checkTensor(op, 'x', x);
  if (x.rank !== 1 && x.rank !== 2) throw new ShapeError(`${op}: 'x' must have rank 1 or 2, got shape [${x.shape}]`);
  if (typeof binaryOutput !== 'boolean') throw new ValueError(`${op}: 'binaryOutput' must be a boolean, got ${binaryOutput}`);
  const [xs, ws] = bincountInputs(op, x, weights, size);
  const rows = x.rank === 2 ? x.shape[0] : 1;
  const cols = x.rank === 2 ? x.shape[1] : x.size;
  const out = weights.dtype === 'int32' ? new Int32Array(rows * size) : new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const v = xs[i];
      if (v >= size) continue;
      if (binaryOutput) out[r * size + v] = 1;
      else out[r * size + v] += ws.length ? ws[i] : 1;
    }
  }
  return tensor(out, x.rank === 2 ? [rows, size] : [size], { dtype: weights.dtype, device: x.device });
}
