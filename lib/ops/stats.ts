// tfjs's remaining reductions: argMax/argMin (axis 0 by default), prod, all, any, logSumExp, moments and norm.
import { ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { full } from './creation';
import { abs, add, div, exp, log, mul, sqrt, square, sub } from './elementwise';
import { argExtreme, max, mean, min, sum, type Axis } from './reduce';
import { cast, reshape } from './reshape';
import { checkDType, checkTensor, normalizeAxes } from './validate';

/** Index (int32) of the first maximum along `axis` (default 0, as tfjs). */
export const argMax = (x: Tensor, axis = 0): Tensor => argExtreme('argMax', 'argmax', x, axis);
/** Index (int32) of the first minimum along `axis` (default 0, as tfjs). */
export const argMin = (x: Tensor, axis = 0): Tensor => argExtreme('argMin', 'argmin', x, axis);

/** Product over `axis` (all when undefined); int32 and bool give int32. Gradient dy * prod / x (x without zeros). */
export function prod(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const op = 'prod';
  checkTensor(op, 'x', x);
  if (x.dtype !== 'float32') {
    const y = prod(cast(x, 'float32'), axis, keepDims);
    return cast(y, 'int32');
  }
  const axes = normalizeAxes(op, axis, x.rank);
  const keepShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const shape = keepDims ? keepShape : x.shape.filter((_, i) => !axes.includes(i));
  const [y] = runKernel('reduce_prod', [x], [{ shape, dtype: 'float32' }], { axes });
  return recordOp(op, [x], y, (dy) => [div(mul(reshape(dy, keepShape), reshape(y, keepShape)), x)]);
}

function boolReduce(op: string, x: Tensor, axis: Axis, keepDims: boolean, pick: typeof max): Tensor {
  checkTensor(op, 'x', x);
  checkDType(op, 'x', x, 'bool');
  const r = pick(cast(x, 'float32'), axis, keepDims);
  return cast(r, 'bool');
}

/** Logical AND over `axis` of a bool tensor. */
export const all = (x: Tensor, axis?: Axis, keepDims = false): Tensor => boolReduce('all', x, axis, keepDims, min);
/** Logical OR over `axis` of a bool tensor. */
export const any = (x: Tensor, axis?: Axis, keepDims = false): Tensor => boolReduce('any', x, axis, keepDims, max);

/** log(sum(exp(x))) over `axis`, computed stably around the maximum. */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  checkTensor('logSumExp', 'x', x);
  const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
  const axes = normalizeAxes('logSumExp', axis, xf.rank);
  // The max is a constant shift: its gradient contributions cancel, so it is taken without recording.
  const m = cast(max(xf.detach(), axes, true), 'float32');
  const r = add(log(sum(exp(sub(xf, m)), axes, true)), m);
  return keepDims ? r : reshape(r, xf.shape.filter((_, i) => !axes.includes(i)));
}

/** Mean and variance over `axes` (all when undefined). */
export function moments(x: Tensor, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  checkTensor('moments', 'x', x);
  const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
  const axes = normalizeAxes('moments', axis, xf.rank);
  const m = mean(xf, axes, true);
  const variance = mean(square(sub(xf, m)), axes, keepDims);
  return { mean: keepDims ? m : reshape(m, xf.shape.filter((_, i) => !axes.includes(i))), variance };
}

export type NormOrd = number | 'euclidean' | 'fro';

/** Vector or matrix norm (tfjs norm): ord 'euclidean'/'fro', 1, 2, Infinity or -Infinity. */
export function norm(x: Tensor, ord: NormOrd = 'euclidean', axis: Axis = undefined, keepDims = false): Tensor {
  const op = 'norm';
  checkTensor(op, 'x', x, true);
  if (x.dtype === 'complex64') return norm(abs(x), ord, axis, keepDims); // every norm reads only the magnitudes
  checkDType(op, 'x', x, 'float32');
  const axes = axis === undefined ? [...Array(x.rank).keys()] : normalizeAxes(op, axis, x.rank);
  let r: Tensor;
  if (axis === undefined || axes.length === 1) {
    const ax = axis === undefined ? undefined : axes;
    if (ord === 'euclidean' || ord === 'fro' || ord === 2) r = sqrt(sum(square(x), ax, true));
    else if (ord === Infinity) r = max(abs(x), ax, true);
    else if (ord === -Infinity) r = min(abs(x), ax, true);
    else if (ord === 1) r = sum(abs(x), ax, true);
    else throw new ValueError(`${op}: vector norm ord must be 'euclidean', 'fro', 1, 2, Infinity or -Infinity (as tfjs), got ${JSON.stringify(ord)}`);
  } else if (axes.length === 2) {
    const [r0, r1] = axes;
    if (ord === 'euclidean' || ord === 'fro') r = sqrt(sum(square(x), axes, true));
    else if (ord === 1) r = max(sum(abs(x), r0, true), r1, true);
    else if (ord === Infinity) r = max(sum(abs(x), r1, true), r0, true);
    else if (ord === -Infinity) r = min(sum(abs(x), r1, true), r0, true);
    else throw new ValueError(`${op}: matrix norm ord ${JSON.stringify(ord)} is not supported (tfjs: 'euclidean', 'fro', 1, Infinity, -Infinity)`);
  } else {
    throw new ValueError(`${op}: 'axis' must name one or two axes, got ${JSON.stringify(axis)}`);
  }
  return keepDims ? r : reshape(r, x.shape.filter((_, i) => !axes.includes(i)));
}
