// tfjs's tf.linalg: bandPart, gramSchmidt and qr (Householder), composed from differentiable ops so gradients come
// from the tape.
import { ShapeError, ValueError, DTypeError } from '../errors';
import { Tensor } from '../tensor';
import { tensor } from './creation';
import { div, greater, greaterEqual, lessEqual, less, minimum, mul, neg, sub } from './elementwise';
import { logicalAnd, where } from './logical';
import { concat, slice, transpose } from './layout';
import { matmul } from './matmul';
import { norm } from './stats';
import { sum } from './reduce';
import { reshape, cast } from './reshape';
import { eye } from './sequences';
import { stack, unstack } from './stack';
import { checkTensor } from './validate';

/** A scalar of `value` in `dtype` on like's device. */
const constant = (value: number, dtype: 'float32' | 'int32', like: Tensor): Tensor => tensor([value], [], { dtype, device: like.device });

/** The band limit as a float32 scalar: a negative number (or scalar) means the whole triangle, capped at `limit`. */
function bandLimit(op: string, arg: string, v: number | Tensor, limit: number, like: Tensor): Tensor {
  if (v instanceof Tensor) {
    checkTensor(op, arg, v);
    if (v.dtype !== 'int32') throw new DTypeError(`${op}: '${arg}' must be an int32 tensor, got ${v.dtype}`);
    const f = cast(v, 'float32');
    return where(less(f, 0), constant(limit, 'float32', like), minimum(f, constant(limit, 'float32', like)));
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValueError(`${op}: '${arg}' must be an integer, got ${v}`);
  if (v > limit) throw new ValueError(`${op}: '${arg}' (${v}) must not exceed ${limit} (the number of ${arg === 'numLower' ? 'rows' : 'columns'})`);
  return constant(v < 0 ? limit : v, 'float32', like);
}

/**
 * Keeps each inner matrix's band: entries (i, j) with i - j <= numLower and j - i <= numUpper, zero elsewhere; a
 * negative bound keeps that whole triangle. numLower / numUpper: integers or int32 scalars.
 */
function bandPart(a: Tensor, numLower: number | Tensor, numUpper: number | Tensor): Tensor {
  const op = 'bandPart';
  checkTensor(op, 'a', a);
  if (a.rank < 2) throw new ShapeError(`${op}: 'a' must have rank >= 2, got shape [${a.shape}]`);
  const [m, n] = a.shape.slice(-2);
  const lower = bandLimit(op, 'numLower', numLower, m, a);
  const upper = bandLimit(op, 'numUpper', numUpper, n, a);
  const diff = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) diff[i * n + j] = i - j;
  const ij = tensor(diff, [m, n], { device: a.device });
  const inBand = logicalAnd(lessEqual(ij, lower), greaterEqual(ij, neg(upper)));
  const zero = a.dtype === 'float32' ? constant(0, 'float32', a) : cast(constant(0, 'int32', a), a.dtype);
  return where(inBand, a, zero);
}

/**
 * Orthonormalises vectors by modified Gram-Schmidt: a list of 1-D tensors, or the rows of a 2-D tensor (returned
 * as a 2-D tensor). There must be no more vectors than dimensions.
 */
function gramSchmidt(xs: Tensor[] | Tensor): Tensor[] | Tensor {
  const op = 'gramSchmidt';
  const asMatrix = !Array.isArray(xs);
  let vs: Tensor[];
  if (asMatrix) {
    checkTensor(op, 'xs', xs);
    if (xs.rank !== 2) throw new ShapeError(`${op}: 'xs' must be a 2-D tensor or a list of 1-D tensors, got shape [${xs.shape}]`);
    vs = unstack(xs, 0);
  } else {
    if (xs.length === 0) throw new ValueError(`${op}: 'xs' must not be empty`);
    vs = xs.map((v, i) => checkTensor(op, `xs[${i}]`, v));
    vs.forEach((v, i) => {
      if (v.rank !== 1 || v.shape[0] !== vs[0].shape[0]) throw new ShapeError(`${op}: xs[${i}] has shape [${v.shape}]; every vector must be 1-D of length ${vs[0].shape[0]}`);
    });
  }
  const dim = vs[0].shape[0];
  if (vs.length > dim) throw new ValueError(`${op}: ${vs.length} vectors exceed their ${dim} dimensions`);
  const ys: Tensor[] = [];
  for (const v of vs) {
    let x = v;
    for (const y of ys) x = sub(x, mul(sum(mul(y, x)), y));
    ys.push(div(x, norm(x, 'euclidean')));
  }
  return asMatrix ? stack(ys, 0) : ys;
}

/** Householder QR of one matrix [m, n]; the reflection for column j makes R[j, j] = -sign(R[j, j]) ||R[j:, j]||. */
function qr2d(x: Tensor, fullMatrices: boolean): [Tensor, Tensor] {
  const [m, n] = x.shape;
  let q = eye(m);
  if (q.device !== x.device) q = q.to(x.device);
  let r = x;
  const one = tensor([[1]], [1, 1], { device: x.device });
  for (let j = 0; j < Math.min(m, n); j++) {
    const col = slice(r, [j, j], [m - j, 1]);
    const colNorm = norm(col, 'euclidean');
    const rjj = slice(r, [j, j], [1, 1]);
    // s = -1 where R[j, j] > 0 and +1 otherwise (sign(0) would divide by zero below).
    const s = where(greater(rjj, 0), constant(-1, 'float32', x), constant(1, 'float32', x));
    const u1 = sub(rjj, mul(s, colNorm));
    const w = m - j === 1 ? one : concat([one, slice(div(col, u1), [1, 0], [m - j - 1, 1])], 0);
    const tau = neg(div(mul(s, u1), colNorm));
    const tw = mul(tau, w);
    const below = slice(r, [j, 0], [m - j, n]);
    const reflected = sub(below, matmul(tw, matmul(transpose(w), below)));
    r = j === 0 ? reflected : concat([slice(r, [0, 0], [j, n]), reflected], 0);
    const right = slice(q, [0, j], [m, m - j]);
    const qReflected = sub(right, matmul(matmul(right, w), transpose(tw)));
    q = j === 0 ? qReflected : concat([slice(q, [0, 0], [m, j]), qReflected], 1);
  }
  if (!fullMatrices && m > n) return [slice(q, [0, 0], [m, n]), slice(r, [0, 0], [n, n])];
  return [q, r];
}

/**
 * QR decomposition of the inner matrices of x [..., m, n] (float32): q orthonormal, r upper triangular. Without
 * fullMatrices and m > n, q is [..., m, n] and r [..., n, n]; otherwise q [..., m, m] and r [..., m, n].
 */
function qr(x: Tensor, fullMatrices = false): [Tensor, Tensor] {
  const op = 'qr';
  checkTensor(op, 'x', x);
  if (x.rank < 2) throw new ShapeError(`${op}: 'x' must have rank >= 2, got shape [${x.shape}]`);
  if (x.dtype !== 'float32') throw new DTypeError(`${op}: 'x' must be float32, got ${x.dtype}`);
  if (x.rank === 2) return qr2d(x, fullMatrices);
  const outer = x.shape.slice(0, -2);
  const [m, n] = x.shape.slice(-2);
  const parts = unstack(reshape(x, [outer.reduce((a, b) => a * b, 1), m, n]), 0).map((t) => qr2d(t, fullMatrices));
  const q = stack(parts.map((p) => p[0]), 0);
  const r = stack(parts.map((p) => p[1]), 0);
  return [reshape(q, [...outer, ...q.shape.slice(1)]), reshape(r, [...outer, ...r.shape.slice(1)])];
}

/** tfjs's tf.linalg namespace. */
export const linalg = { bandPart, gramSchmidt, qr };
