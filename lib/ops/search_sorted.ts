// tfjs's searchSorted, lowerBound and upperBound: a binary search per value along the last dim, run on the host (no
// native kernel does it; tfjs's CPU kernel reads both inputs too).
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { checkSameDevice, checkTensor } from './validate';

/** First position in seq[lo, hi) whose value is not below v ('left') or is above v ('right'). */
function bound(seq: ArrayLike<number>, lo: number, hi: number, v: number, right: boolean): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const goRight = right ? seq[mid] <= v : seq[mid] < v;
    if (goRight) a = mid + 1;
    else b = mid;
  }
  return a - lo;
}

/**
 * For each value, the index at which it would be inserted into its row of sortedSequence (the last dim, sorted
 * ascending) to keep it sorted: before equal entries ('left') or after them ('right'). Both inputs are read as
 * rows along their last dim and must have the same number of rows. The result is int32 of shape [rows, values per row],
 * a 2-D shape even for 1-D inputs, as tfjs returns it.
 */
export function searchSorted(sortedSequence: Tensor, values: Tensor, side: 'left' | 'right' = 'left'): Tensor {
  const op = 'searchSorted';
  checkTensor(op, 'sortedSequence', sortedSequence);
  checkTensor(op, 'values', values);
  checkSameDevice(op, { sortedSequence, values });
  if (side !== 'left' && side !== 'right') throw new ValueError(`${op}: 'side' must be 'left' or 'right', got ${JSON.stringify(side)}`);
  if (sortedSequence.rank < 1 || values.rank < 1) {
    throw new ShapeError(`${op}: 'sortedSequence' [${sortedSequence.shape}] and 'values' [${values.shape}] must have rank >= 1`);
  }
  const n = sortedSequence.shape[sortedSequence.rank - 1];
  const m = values.shape[values.rank - 1];
  if (n === 0 || m === 0) throw new ShapeError(`${op}: the last dims of 'sortedSequence' [${sortedSequence.shape}] and 'values' [${values.shape}] must not be empty`);
  const rows = sortedSequence.size / n;
  if (values.size / m !== rows) {
    throw new ShapeError(`${op}: 'sortedSequence' [${sortedSequence.shape}] has ${rows} rows but 'values' [${values.shape}] has ${values.size / m}; they must match`);
  }
  const seq = sortedSequence.dataSync();
  const vals = values.dataSync();
  const out = new Int32Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < m; i++) out[r * m + i] = bound(seq, r * n, (r + 1) * n, vals[r * m + i], side === 'right');
  }
  return tensor(out, [rows, m], { dtype: 'int32', device: values.device });
}

/** searchSorted with side 'left': the first index whose entry is >= the value. */
export function lowerBound(sortedSequence: Tensor, values: Tensor): Tensor {
  return searchSorted(sortedSequence, values, 'left');
}

/** searchSorted with side 'right': the first index whose entry is > the value. */
export function upperBound(sortedSequence: Tensor, values: Tensor): Tensor {
  return searchSorted(sortedSequence, values, 'right');
}
