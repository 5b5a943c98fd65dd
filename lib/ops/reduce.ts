// Reductions over any axes (sum, mean, max, min) with keepDims, and argmax; each backward rule beside its forward.
import { ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { full } from './creation';
import { cast } from './reshape';
import type { DType } from '../dtype';
import { checkTensor, normalizeAxes, normalizeAxis } from './validate';

/** One axis, a list of axes, or undefined for all axes (negative axes count from the end). */
export type Axis = number | number[] | undefined;

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

interface ReducePlan {
  axes: number[];
  /** The output shape (with or without the reduced dims kept as 1). */
  shape: number[];
  /** x's shape with the reduced dims set to 1: the gradient broadcasts from here. */
  keepShape: number[];
  count: number;
}

function plan(op: string, x: Tensor, axis: Axis, keepDims: boolean): ReducePlan {
  checkTensor(op, 'x', x);
  const axes = normalizeAxes(op, axis, x.rank);
  const keepShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const shape = keepDims ? keepShape : x.shape.filter((_, i) => !axes.includes(i));
  const count = axes.reduce((p, a) => p * x.shape[a], 1);
  return { axes, shape, keepShape, count };
}

/**
 * dy (reduced shape) broadcast back to x's shape, times `factor`: one broadcasting mul kernel does both.
 * The kernels see contiguous data, so viewing dy with the kept-dims shape is free.
 */
function broadcastBack(dy: Tensor, p: ReducePlan, xShape: readonly number[], factor: number): Tensor {
  const g = dy.view(p.keepShape);
  const f = full([], factor, { device: dy.device });
  const [dx] = runKernel('mul', [g, f], [{ shape: xShape, dtype: 'float32' }]);
  g.dispose();
  f.dispose();
  return dx;
}

/**
 * int32 and bool inputs reduce in float32 (exact below 2^24) and come back in tfjs's result dtype: `out` ('int32' for
 * sum and prod, 'float32' for mean, the input's own for max and min).
 */
function viaFloat(x: Tensor, out: DType | 'same', f: (xf: Tensor) => Tensor): Tensor {
  const xf = cast(x, 'float32');
  const y = f(xf);
  xf.dispose();
  const want = out === 'same' ? x.dtype : out;
  if (want === 'float32') return y;
  const back = cast(y, want);
  y.dispose();
  return back;
}

/** Sum over `axis` (all axes when undefined); int32 and bool sum to int32, as tfjs. */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  if (checkTensor('sum', 'x', x).dtype !== 'float32') return viaFloat(x, 'int32', (xf) => sum(xf, axis, keepDims));
  const p = plan('sum', x, axis, keepDims);
  const [y] = runKernel('reduce_sum', [x], [{ shape: p.shape, dtype: 'float32' }], { axes: p.axes });
  return recordOp('sum', [x], y, (dy) => [broadcastBack(dy, p, x.shape, 1)]); // dx = dy broadcast
}

/** Mean over `axis` (all axes when undefined). */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  if (checkTensor('mean', 'x', x).dtype !== 'float32') return viaFloat(x, 'float32', (xf) => mean(xf, axis, keepDims));
  const p = plan('mean', x, axis, keepDims);
  const [y] = runKernel('reduce_mean', [x], [{ shape: p.shape, dtype: 'float32' }], { axes: p.axes });
  return recordOp('mean', [x], y, (dy) => [broadcastBack(dy, p, x.shape, 1 / p.count)]); // dx = dy / count
}

function extremum(op: 'max' | 'min', x: Tensor, axis: Axis, keepDims: boolean): Tensor {
  if (checkTensor(op, 'x', x).dtype !== 'float32') return viaFloat(x, 'same', (xf) => extremum(op, xf, axis, keepDims));
  const p = plan(op, x, axis, keepDims);
  if (p.count === 0 && sizeOf(p.shape) > 0) {
    throw new ValueError(`${op}: cannot take the ${op}imum over an empty axis of shape [${x.shape}]`);
  }
  const [y] = runKernel(`reduce_${op}`, [x], [{ shape: p.shape, dtype: 'float32' }], { axes: p.axes });
  // dx = dy where x equals the extreme, shared evenly between ties (the kernel only needs y's and dy's sizes).
  return recordOp(op, [x], y, (dy) => runKernel('reduce_select_backward', [x, y, dy], [{ shape: x.shape, dtype: 'float32' }], { axes: p.axes }));
}

/** Maximum over `axis` (all axes when undefined); NaN propagates. */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return extremum('max', x, axis, keepDims);
}

/** Minimum over `axis` (all axes when undefined); NaN propagates. */
export function min(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return extremum('min', x, axis, keepDims);
}

/** Index (int32) of the first extreme along `axis` through kernel argmax/argmin; int32 and bool compared as float32. */
export function argExtreme(op: string, kernel: 'argmax' | 'argmin', x: Tensor, axis: number): Tensor {
  checkTensor(op, 'x', x);
  const a = normalizeAxis(op, axis, x.rank);
  if (x.rank === 0) return full([], 0, { dtype: 'int32', device: x.device });
  const shape = x.shape.filter((_, i) => i !== a);
  if (x.shape[a] === 0 && sizeOf(shape) > 0) throw new ValueError(`${op}: axis ${a} of shape [${x.shape}] is empty`);
  const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
  const [y] = runKernel(kernel, [xf], [{ shape, dtype: 'int32' }], { axis: a });
  if (xf !== x) xf.dispose();
  return y;
}

/** Index (int32) of the first maximum along `axis` (default: the last axis; tfjs's argMax defaults to 0). */
export function argmax(x: Tensor, axis = -1): Tensor {
  return argExtreme('argmax', 'argmax', x, axis);
}
