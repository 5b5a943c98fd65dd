// tfjs's shape ops over concat/slice/reshape: stack, unstack, split, squeeze, expandDims (gradients come with them).
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { concat, slice } from './layout';
import { reshape } from './reshape';
import { checkTensor, normalizeAxis } from './validate';

/** Inserts a dim of size 1 at `axis` (default 0; -1 appends). */
export function expandDims(x: Tensor, axis = 0): Tensor {
  checkTensor('expandDims', 'x', x, true);
  const a = normalizeAxis('expandDims', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes dims of size 1: the listed ones (each must be 1), or all of them. */
export function squeeze(x: Tensor, axis?: number[]): Tensor {
  const op = 'squeeze';
  checkTensor(op, 'x', x, true);
  const axes = axis === undefined ? null : (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis(op, a, x.rank));
  axes?.forEach((a) => {
    if (x.shape[a] !== 1) throw new ShapeError(`${op}: dim ${a} of x [${x.shape}] has size ${x.shape[a]}, expected 1`);
  });
  return reshape(x, x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)));
}

/** Joins same-shape tensors along a new axis (default 0). */
export function stack(tensors: Tensor[], axis = 0): Tensor {
  const op = 'stack';
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError(`${op}: 'tensors' must be a non-empty array of Tensors`);
  tensors.forEach((t, i) => checkTensor(op, `tensors[${i}]`, t, true));
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (t.shape.join() !== first.shape.join()) throw new ShapeError(`${op}: tensors[${i}] has shape [${t.shape}] but tensors[0] has [${first.shape}]`);
  });
  const a = normalizeAxis(op, axis, first.rank + 1);
  return concat(tensors.map((t) => expandDims(t, a)), a);
}

/** Splits x along `axis` (default 0) into its slices, each without that axis. */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  const op = 'unstack';
  checkTensor(op, 'x', x, true);
  const a = normalizeAxis(op, axis, x.rank);
  const outShape = x.shape.filter((_, i) => i !== a);
  return Array.from({ length: x.shape[a] }, (_, k) => {
    const begin = x.shape.map((_, i) => (i === a ? k : 0));
    const size = x.shape.map((d, i) => (i === a ? 1 : d));
    return reshape(slice(x, begin, size), outShape);
  });
}

/** Splits x along `axis` (default 0) into n equal parts, or into parts of the given sizes (one may be -1). */
export function split(x: Tensor, numOrSizeSplits: number | number[], axis = 0): Tensor[] {
  const op = 'split';
  checkTensor(op, 'x', x, true);
  const a = normalizeAxis(op, axis, x.rank);
  const n = x.shape[a];
  let sizes: number[];
  if (typeof numOrSizeSplits === 'number') {
    if (!Number.isInteger(numOrSizeSplits) || numOrSizeSplits < 1 || n % numOrSizeSplits !== 0) {
      throw new ValueError(`${op}: 'numOrSizeSplits' ${numOrSizeSplits} must be a positive integer that divides dim ${a} (${n}) of [${x.shape}]`);
    }
    sizes = Array(numOrSizeSplits).fill(n / numOrSizeSplits);
  } else if (Array.isArray(numOrSizeSplits) && numOrSizeSplits.every((s) => Number.isInteger(s) && s >= -1)) {
    sizes = [...numOrSizeSplits];
    const free = sizes.indexOf(-1);
    const twoFree = sizes.lastIndexOf(-1) !== free;
    const known = sizes.reduce((t, s) => (s === -1 ? t : t + s), 0);
    if (free >= 0) sizes[free] = n - known;
    if (twoFree || sizes.reduce((t, s) => t + s, 0) !== n || (free >= 0 && sizes[free] < 0)) {
      throw new ValueError(`${op}: sizes [${numOrSizeSplits}] must add up to dim ${a} (${n}) of [${x.shape}]`);
    }
  } else {
    throw new ValueError(`${op}: 'numOrSizeSplits' must be a number or an array of sizes, got ${JSON.stringify(numOrSizeSplits)}`);
  }
  let at = 0;
  return sizes.map((s) => {
    const begin = x.shape.map((_, i) => (i === a ? at : 0));
    at += s;
    return slice(x, begin, x.shape.map((d, i) => (i === a ? s : d)));
  });
}
