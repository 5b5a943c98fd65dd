// Layout ops (no arithmetic): transpose, concat, slice, pad; their backward rules map onto each other (slice <-> pad).
import { DTypeError, ShapeError, ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { checkInt32Value } from './int32';
import { checkSameDevice, checkTensor, normalizeAxis } from './validate';
import { complexFromPairs, pairsOf } from './complex/view';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Permutes the dims: y.shape[i] = x.shape[perm[i]]; perm defaults to reversing the dims. */
export function transpose(x: Tensor, perm?: number[]): Tensor {
  const op = 'transpose';
  checkTensor(op, 'x', x, true);
  const p = perm ?? [...Array(x.rank).keys()].reverse();
  if (!Array.isArray(p) || p.length !== x.rank || !p.every(isInt) || new Set(p).size !== x.rank || p.some((d) => d < 0 || d >= x.rank)) {
    throw new ValueError(`${op}: 'perm' must be a permutation of 0..${x.rank - 1} for x of shape [${x.shape}], got ${JSON.stringify(perm)}`);
  }
  // A complex tensor moves its (re, im) pairs whole: the pairs dim stays last.
  if (x.dtype === 'complex64') return complexFromPairs(transpose(pairsOf(x), [...p, x.rank]));
  const shape = p.map((d) => x.shape[d]);
  const [y] = runKernel(op, [x], [{ shape, dtype: x.dtype }], { perm: p });
  // dx = transpose(dy, inverse(perm))
  const inverse = new Array<number>(p.length);
  p.forEach((d, i) => (inverse[d] = i));
  return recordOp(op, [x], y, (dy) => [transpose(dy, inverse)]);
}

/** Joins tensors along `axis` (default 0); all other dims must match. */
export function concat(tensors: Tensor[], axis = 0): Tensor {
  const op = 'concat';
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError(`${op}: 'tensors' must be a non-empty array of Tensors`);
  tensors.forEach((t, i) => checkTensor(op, `tensors[${i}]`, t, true));
  const first = tensors[0];
  if (first.rank === 0) throw new ShapeError(`${op}: cannot concatenate scalars (rank 0); reshape them to [1] first`);
  const a = normalizeAxis(op, axis, first.rank);
  checkSameDevice(op, Object.fromEntries(tensors.map((t, i) => [`tensors[${i}]`, t])));
  let total = 0;
  tensors.forEach((t, i) => {
    if (t.dtype !== first.dtype) throw new DTypeError(`${op}: tensors[${i}] is ${t.dtype} but tensors[0] is ${first.dtype}`);
    if (t.rank !== first.rank || t.shape.some((d, k) => k !== a && d !== first.shape[k])) {
      throw new ShapeError(`${op}: tensors[${i}] has shape [${t.shape}], expected [${first.shape.map((d, k) => (k === a ? '*' : d))}] (all dims but axis ${a} equal)`);
    }
    total += t.shape[a];
  });
  if (first.dtype === 'complex64') return complexFromPairs(concat(tensors.map(pairsOf), a));
  const shape = first.shape.map((d, k) => (k === a ? total : d));
  const [y] = runKernel(op, tensors, [{ shape, dtype: first.dtype }], { axis: a });
  // Each input's gradient is its slab of dy along the axis.
  return recordOp(op, tensors, y, (dy) => {
    let at = 0;
    return tensors.map((t) => {
      const begin = shape.map((_, k) => (k === a ? at : 0));
      at += t.shape[a];
      return t.requiresGrad ? rawSlice(dy, begin, t.shape) : null;
    });
  });
}

function rawSlice(x: Tensor, begin: number[], size: readonly number[]): Tensor {
  return runKernel('slice', [x], [{ shape: size, dtype: x.dtype }], { begin })[0];
}

function rawPad(x: Tensor, before: number[], shape: number[], value: number): Tensor {
  return runKernel('pad', [x], [{ shape, dtype: x.dtype }], { before, value })[0];
}

/**
 * The block of x starting at `begin` with extent `size` (-1: to the end), as in tfjs: a number begin means [begin, 0,
 * ...], a short begin is padded with 0, a number size means [size, -1, ...] and a short size is padded with -1.
 */
export function slice(x: Tensor, begin: number | number[], size?: number | number[]): Tensor {
  const op = 'slice';
  checkTensor(op, 'x', x, true);
  if (x.rank === 0) throw new ShapeError(`${op}: cannot slice a scalar (rank 0)`);
  const b = typeof begin === 'number' ? [begin] : begin;
  const s = size === undefined || size === null ? [] : typeof size === 'number' ? [size] : size;
  if (!Array.isArray(b) || b.length > x.rank || !b.every(isInt)) {
    throw new ValueError(`${op}: 'begin' must be an integer or at most ${x.rank} integers for x of shape [${x.shape}], got ${JSON.stringify(begin)}`);
  }
  if (!Array.isArray(s) || s.length > x.rank || !s.every(isInt)) {
    throw new ValueError(`${op}: 'size' must be an integer or at most ${x.rank} integers (-1: to the end) for x of shape [${x.shape}], got ${JSON.stringify(size)}`);
  }
  const fullBegin = x.shape.map((_, i) => b[i] ?? 0);
  const fullSize = x.shape.map((_, i) => s[i] ?? -1);
  const out = fullSize.map((d, i) => (d === -1 ? x.shape[i] - fullBegin[i] : d));
  out.forEach((d, i) => {
    if (fullBegin[i] < 0 || d < 0 || fullBegin[i] + d > x.shape[i]) {
      throw new ShapeError(`${op}: begin ${fullBegin[i]} with size ${fullSize[i]} is outside dim ${i} of x [${x.shape}] (expected 0 <= begin, size -1 or >= 0, begin + size <= ${x.shape[i]})`);
    }
  });
  if (x.dtype === 'complex64') return complexFromPairs(slice(pairsOf(x), [...fullBegin, 0], [...out, 2]));
  const y = rawSlice(x, fullBegin, out);
  // dx = dy padded with zeros back to x's shape
  return recordOp(op, [x], y, (dy) => [rawPad(dy, fullBegin, [...x.shape], 0)]);
}

/** Pads each dim with paddings[i] = [before, after] elements of `value` (default 0). */
export function pad(x: Tensor, paddings: [number, number][], value = 0): Tensor {
  const op = 'pad';
  checkTensor(op, 'x', x);
  const ok = Array.isArray(paddings) && paddings.length === x.rank &&
    paddings.every((p) => Array.isArray(p) && p.length === 2 && isInt(p[0]) && isInt(p[1]) && p[0] >= 0 && p[1] >= 0);
  if (!ok) {
    throw new ValueError(`${op}: 'paddings' must be ${x.rank} pairs [before, after] of non-negative integers for x of shape [${x.shape}], got ${JSON.stringify(paddings)}`);
  }
  if (typeof value !== 'number') throw new ValueError(`${op}: 'value' must be a number, got ${value}`);
  if (x.dtype === 'int32') checkInt32Value(op, 'value', value);
  const before = paddings.map((p) => p[0]);
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const y = rawPad(x, before, shape, value);
  // dx = the unpadded block of dy
  return recordOp(op, [x], y, (dy) => [rawSlice(dy, before, x.shape)]);
}
