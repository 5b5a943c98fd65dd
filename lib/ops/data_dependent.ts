// Ops whose result shape depends on the values (tfjs's unique, whereAsync, booleanMaskAsync, setdiff1dAsync) or that
// tfjs computes on the host (inTopKAsync): the values are read on the host (unique synchronously, as tfjs does), the
// kept elements are gathered on the device so dtype and gradients carry through.
import { DTypeError, ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { tensor } from './creation';
import { gather } from './gather';
import { reshape } from './reshape';
import { checkDType, checkSameDevice, checkTensor, normalizeAxis } from './validate';

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/**
 * The distinct slices of x along `axis` (default 0) in order of first appearance, and for each position along the
 * axis the int32 index of its slice in `values`. Values compare by their printed form, so NaN equals NaN and -0 equals 0
 * (as tfjs). Reads x synchronously: the output size depends on it.
 */
export function unique(x: Tensor, axis = 0): { values: Tensor; indices: Tensor } {
  const op = 'unique';
  checkTensor(op, 'x', x);
  if (x.rank === 0) throw new ShapeError(`${op}: 'x' must have rank >= 1, got a scalar`);
  const a = normalizeAxis(op, axis, x.rank);
  const outer = prod(x.shape.slice(0, a));
  const n = x.shape[a];
  const inner = prod(x.shape.slice(a + 1));
  const data = x.dataSync();
  const seen = new Map<string, number>();
  const firsts: number[] = [];
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const parts: number[] = [];
    for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) parts.push(data[(o * n + i) * inner + k]);
    const key = parts.join(',');
    let at = seen.get(key);
    if (at === undefined) {
      at = firsts.length;
      seen.set(key, at);
      firsts.push(i);
    }
    indices[i] = at;
  }
  return { values: gather(x, firsts, a), indices: tensor(indices, [n], { dtype: 'int32', device: x.device }) };
}

/** The coordinates of the true entries of a bool tensor, as int32 [count, rank] in row-major order. */
export async function whereAsync(condition: Tensor): Promise<Tensor> {
  const op = 'whereAsync';
  checkTensor(op, 'condition', condition);
  checkDType(op, 'condition', condition, 'bool');
  const values = await condition.data();
  const rank = condition.rank;
  const coords: number[] = [];
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (!values[i]) continue;
    count++;
    let rem = i;
    const at = new Array<number>(rank);
    for (let d = rank - 1; d >= 0; d--) {
      at[d] = rem % condition.shape[d];
      rem = Math.floor(rem / condition.shape[d]);
    }
    coords.push(...at);
  }
  return tensor(Int32Array.from(coords), [count, rank], { dtype: 'int32', device: condition.device });
}

/**
 * The slices of `x` where the bool mask is true: mask covers dims axis .. axis + mask.rank - 1 of x, which collapse
 * into one dim holding the kept slices in row-major order.
 */
export async function booleanMaskAsync(x: Tensor, mask: Tensor, axis = 0): Promise<Tensor> {
  const op = 'booleanMaskAsync';
  checkTensor(op, 'tensor', x);
  checkTensor(op, 'mask', mask);
  checkDType(op, 'mask', mask, 'bool');
  checkSameDevice(op, { tensor: x, mask });
  if (mask.rank === 0) throw new ShapeError(`${op}: 'mask' cannot be a scalar`);
  if (!Number.isInteger(axis) || axis < 0 || axis + mask.rank > x.rank) {
    throw new ValueError(`${op}: 'axis' must be an integer in [0, ${x.rank - mask.rank}] for tensor [${x.shape}] and mask [${mask.shape}], got ${axis}`);
  }
  const covered = x.shape.slice(axis, axis + mask.rank);
  if (covered.join() !== mask.shape.join()) {
    throw new ShapeError(`${op}: mask [${mask.shape}] must match dims ${axis}..${axis + mask.rank - 1} of tensor [${x.shape}], which are [${covered}]`);
  }
  const flat = reshape(x, [...x.shape.slice(0, axis), prod(covered), ...x.shape.slice(axis + mask.rank)]);
  const keep = await mask.data();
  const positions: number[] = [];
  keep.forEach((v, i) => {
    if (v) positions.push(i);
  });
  return gather(flat, positions, axis);
}

/** The values of 1-D x that are not in 1-D y (same dtype), in x's order, and their int32 positions in x. */
export async function setdiff1dAsync(x: Tensor, y: Tensor): Promise<[Tensor, Tensor]> {
  const op = 'setdiff1dAsync';
  checkTensor(op, 'x', x);
  checkTensor(op, 'y', y);
  checkSameDevice(op, { x, y });
  if (x.dtype !== y.dtype) throw new DTypeError(`${op}: 'x' is ${x.dtype} but 'y' is ${y.dtype}; they must have one dtype`);
  if (x.rank !== 1 || y.rank !== 1) throw new ShapeError(`${op}: 'x' [${x.shape}] and 'y' [${y.shape}] must both have rank 1`);
  const [xs, ys] = await Promise.all([x.data(), y.data()]);
  // A Set compares by SameValueZero: NaN matches NaN, -0 matches 0.
  const drop = new Set<number>(ys);
  const kept: number[] = [];
  xs.forEach((v, i) => {
    if (!drop.has(v)) kept.push(i);
  });
  return [gather(x, kept), tensor(Int32Array.from(kept), [kept.length], { dtype: 'int32', device: x.device })];
}

/**
 * Whether each target's prediction is among the k largest of its row (the last dim of predictions; targets has the
 * other dims). Ties rank by position, lower first, as tfjs's stable sort orders them. Bool, targets' shape.
 */
export async function inTopKAsync(predictions: Tensor, targets: Tensor, k = 1): Promise<Tensor> {
  const op = 'inTopKAsync';
  checkTensor(op, 'predictions', predictions);
  checkTensor(op, 'targets', targets);
  checkSameDevice(op, { predictions, targets });
  if (predictions.rank < 2) throw new ShapeError(`${op}: 'predictions' must have rank >= 2, got shape [${predictions.shape}]`);
  const lead = predictions.shape.slice(0, -1);
  if (targets.rank !== predictions.rank - 1 || lead.join() !== targets.shape.join()) {
    throw new ShapeError(`${op}: 'targets' has shape [${targets.shape}], expected [${lead}] (predictions [${predictions.shape}] without its last dim)`);
  }
  const n = predictions.shape[predictions.rank - 1];
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ValueError(`${op}: 'k' must be an integer in [1, ${n}] (the last dim of predictions), got ${k}`);
  const [p, t] = await Promise.all([predictions.data(), targets.data()]);
  const hits = new Uint8Array(t.length);
  for (let r = 0; r < t.length; r++) {
    const row = p.subarray(r * n, (r + 1) * n);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => row[b] - row[a]);
    hits[r] = order.slice(0, k).includes(t[r]) ? 1 : 0;
  }
  return tensor(hits, [...targets.shape], { dtype: 'bool', device: predictions.device });
}
