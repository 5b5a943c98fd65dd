// Shape-level ops from tfjs: broadcastTo (a tile of the size-1 dims), broadcastArgs (shapes as int32 tensors) and
// ensureShape (a check that returns its input).
import { DTypeError, ShapeError, ValueError } from '../errors';
import { Tensor } from '../tensor';
import { tensor } from './creation';
import { tile } from './gather';
import { clone, reshape } from './reshape';
import { broadcastShapes, checkShape, checkTensor } from './validate';

/** x repeated along its size-1 dims (and new leading dims) to `shape`; the gradient sums back (tile's). */
export function broadcastTo(x: Tensor, shape: number[]): Tensor {
  const op = 'broadcastTo';
  checkTensor(op, 'x', x);
  const target = checkShape(op, 'shape', shape);
  if (target.length < x.rank) throw new ShapeError(`${op}: 'shape' [${target}] has fewer dims than x [${x.shape}] (rank ${x.rank})`);
  const padded = [...Array(target.length - x.rank).fill(1), ...x.shape];
  const reps = padded.map((d, i) => {
    if (d === target[i]) return 1;
    if (d !== 1) throw new ShapeError(`${op}: x [${x.shape}] cannot be broadcast to [${target}] (dim ${i}: ${d} vs ${target[i]})`);
    return target[i];
  });
  const lifted = padded.length === x.rank ? x : reshape(x, padded);
  return reps.every((r) => r === 1) ? clone(lifted) : tile(lifted, reps);
}

/** A shape operand of broadcastArgs: a rank-1 int32 tensor or an array of sizes, as host numbers. */
function shapeValues(op: string, arg: string, s: Tensor | number[]): number[] {
  if (s instanceof Tensor) {
    checkTensor(op, arg, s);
    if (s.dtype !== 'int32') throw new DTypeError(`${op}: '${arg}' must be an int32 tensor, got ${s.dtype}`);
    if (s.rank !== 1) throw new ShapeError(`${op}: '${arg}' must be a vector (rank 1), got shape [${s.shape}]`);
    // Shapes are a handful of numbers; tfjs's kernel reads them on the host too.
    return Array.from(s.dataSync());
  }
  return checkShape(op, arg, s);
}

/** The broadcast of two shapes given as rank-1 int32 tensors (or arrays), as an int32 tensor. */
export function broadcastArgs(s0: Tensor | number[], s1: Tensor | number[]): Tensor {
  const op = 'broadcastArgs';
  const a = shapeValues(op, 's0', s0);
  const b = shapeValues(op, 's1', s1);
  const device = s0 instanceof Tensor ? s0.device : s1 instanceof Tensor ? s1.device : undefined;
  return tensor(Int32Array.from(broadcastShapes(op, a, b)), [Math.max(a.length, b.length)], { dtype: 'int32', device });
}

/** x itself when its shape matches `shape` (null matches any size), else a ShapeError. */
export function ensureShape(x: Tensor, shape: (number | null)[]): Tensor {
  const op = 'ensureShape';
  checkTensor(op, 'x', x);
  if (!Array.isArray(shape)) throw new ValueError(`${op}: 'shape' must be an array of sizes (null for any), got ${JSON.stringify(shape)}`);
  if (shape.length !== x.rank || shape.some((d, i) => d !== null && d !== x.shape[i])) {
    throw new ShapeError(`${op}: x has shape [${x.shape}], which is not compatible with the expected shape [${shape.map((d) => (d === null ? 'null' : d))}]`);
  }
  return x;
}
