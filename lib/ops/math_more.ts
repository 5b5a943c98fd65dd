// tfjs's smaller math ops, composed from existing differentiable ops: step, logSigmoid, divNoNan, euclideanNorm,
// cumprod, dot, outerProduct, movingAverage.
import { ShapeError, ValueError, DTypeError } from '../errors';
import { Tensor } from '../tensor';
import { tensor } from './creation';
import { add, div, equal, greater, mul, neg, operands, pow, sub, type TensorLike } from './elementwise';
import { softplus } from './math';
import { isNaN as isNan, where } from './logical';
import { pad, slice } from './layout';
import { matmul } from './matmul';
import { norm } from './stats';
import { sum, type Axis } from './reduce';
import { cast, reshape } from './reshape';
import { reverse } from './gather';
import { checkRank, checkTensor, normalizeAxis } from './validate';

/** 1 where x > 0, alpha elsewhere, NaN kept; the result keeps x's dtype. Gradient zero (as tfjs). */
export function step(x: Tensor, alpha = 0): Tensor {
  const op = 'step';
  checkTensor(op, 'x', x);
  if (typeof alpha !== 'number') throw new ValueError(`${op}: 'alpha' must be a number, got ${alpha}`);
  const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
  let y = where(greater(xf, 0), scalarOn(1, x), scalarOn(alpha, x));
  if (x.dtype === 'float32') y = where(isNan(xf), scalarOn(NaN, x), y);
  return x.dtype === 'float32' ? y : cast(y, x.dtype);
}

/** A float32 scalar on like's device (where() needs tensor operands). */
function scalarOn(v: number, like: Tensor): Tensor {
  return tensor(new Float32Array([v]), [], { device: like.device });
}

/** log(sigmoid(x)) computed as -softplus(-x) for stability; dx = dy sigmoid(-x). */
export function logSigmoid(x: Tensor): Tensor {
  checkTensor('logSigmoid', 'x', x);
  return neg(softplus(neg(x)));
}

/** a / b with 0 wherever b is 0 (broadcasting; int32 / int32 divides as tfjs's div does). */
export function divNoNan(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('divNoNan', a, b, 'arith');
  const q = div(x, y);
  const zero = x.dtype === 'float32' ? scalarOn(0, q) : cast(scalarOn(0, q), q.dtype);
  return where(equal(y, zero), zero, q);
}

/** The Euclidean norm over `axis` (all axes by default): tfjs's euclideanNorm. */
export function euclideanNorm(x: Tensor, axis: Axis | null = null, keepDims = false): Tensor {
  return norm(x, 'euclidean', axis ?? undefined, keepDims);
}

/**
 * Cumulative product along `axis` (tfjs's cumprod): `exclusive` starts from 1, `reverse` runs from the end. bool
 * counts as int32. A log2(n)-step scan (each step multiplies by a copy shifted by 2^k with ones shifted in), so the
 * gradient comes from the tape and zeros are exact (no division).
 */
export function cumprod(x: Tensor, axis = 0, exclusive = false, reverseScan = false): Tensor {
  const op = 'cumprod';
  checkTensor(op, 'x', x);
  if (x.rank === 0) throw new ValueError(`${op}: x must have rank >= 1`);
  const a = normalizeAxis(op, axis, x.rank);
  let y = x.dtype === 'bool' ? cast(x, 'int32') : x;
  const n = y.shape[a];
  /** y shifted by k along the axis, 1 shifted in at the start. */
  const shifted = (t: Tensor, k: number): Tensor => {
    const begin = t.shape.map(() => 0);
    const size = t.shape.map((d, i) => (i === a ? n - k : d));
    const pads = t.shape.map((_, i): [number, number] => (i === a ? [k, 0] : [0, 0]));
    return pad(slice(t, begin, size), pads, 1);
  };
  if (reverseScan) y = reverse(y, a);
  if (n > 0) {
    for (let k = 1; k < n; k *= 2) y = mul(y, shifted(y, k));
    if (exclusive) y = shifted(y, 1);
  }
  return reverseScan ? reverse(y, a) : y;
}

/** a [M, K] times b [K, N]: matmul for float32, a broadcast product summed over K otherwise (int32, as tfjs). */
function product2d(a: Tensor, b: Tensor): Tensor {
  if (a.dtype === 'float32' && b.dtype === 'float32') return matmul(a, b);
  const x = a.dtype === 'bool' ? cast(a, 'int32') : a;
  const y = b.dtype === 'bool' ? cast(b, 'int32') : b;
  return sum(mul(reshape(x, [x.shape[0], x.shape[1], 1]), reshape(y, [1, y.shape[0], y.shape[1]])), 1);
}

/** Dot product of vectors / matrices (ranks 1 or 2 each), tfjs's dot: vector.vector is a scalar. */
export function dot(t1: Tensor, t2: Tensor): Tensor {
  const op = 'dot';
  checkTensor(op, 't1', t1);
  checkTensor(op, 't2', t2);
  checkRank(op, 't1', t1, 1, 2);
  checkRank(op, 't2', t2, 1, 2);
  const k1 = t1.rank === 1 ? t1.size : t1.shape[1];
  const k2 = t2.rank === 1 ? t2.size : t2.shape[0];
  if (k1 !== k2) throw new ShapeError(`${op}: inner dimensions differ: t1 [${t1.shape}] has ${k1}, t2 [${t2.shape}] has ${k2}`);
  const a = t1.rank === 1 ? reshape(t1, [1, k1]) : t1;
  const b = t2.rank === 1 ? reshape(t2, [k2, 1]) : t2;
  const r = product2d(a, b);
  if (t1.rank === 1 && t2.rank === 1) return reshape(r, []);
  if (t1.rank === 1 || t2.rank === 1) return reshape(r, [r.size]);
  return r;
}

/** v1 [M] outer v2 [N] -> [M, N]. */
export function outerProduct(v1: Tensor, v2: Tensor): Tensor {
  const op = 'outerProduct';
  checkTensor(op, 'v1', v1);
  checkTensor(op, 'v2', v2);
  checkRank(op, 'v1', v1, 1);
  checkRank(op, 'v2', v2, 1);
  return product2d(reshape(v1, [v1.size, 1]), reshape(v2, [1, v2.size]));
}

/**
 * One step of an exponential moving average: v + (1 - decay)(x - v), divided by (1 - decay^step) when zeroDebias
 * (the default, which needs `step`). Stateless, as tfjs: the caller keeps the step count.
 */
export function movingAverage(v: Tensor, x: Tensor, decay: number | Tensor, stepCount?: number | Tensor, zeroDebias = true): Tensor {
  const op = 'movingAverage';
  checkTensor(op, 'v', v);
  checkTensor(op, 'x', x);
  if (v.dtype !== x.dtype) throw new DTypeError(`${op}: 'v' is ${v.dtype} but 'x' is ${x.dtype}; they must match`);
  if (v.shape.join() !== x.shape.join()) throw new ShapeError(`${op}: 'v' has shape [${v.shape}] but 'x' has [${x.shape}]; they must match`);
  const asScalar = (name: string, s: number | Tensor): Tensor => {
    if (s instanceof Tensor) return checkTensor(op, name, s);
    if (typeof s !== 'number') throw new ValueError(`${op}: '${name}' must be a number or a scalar Tensor, got ${s}`);
    return scalarOn(s, v);
  };
  const d = asScalar('decay', decay);
  let update = mul(sub(x, v), sub(scalarOn(1, v), d));
  if (zeroDebias) {
    if (stepCount === undefined || stepCount === null) throw new ValueError(`${op}: 'step' is required when zeroDebias is true`);
    update = div(update, sub(scalarOn(1, v), pow(d, asScalar('step', stepCount))));
  }
  return add(v, update);
}
