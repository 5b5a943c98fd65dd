// tfjs's math ops: rounding, reciprocals, activations (softplus, elu, selu, relu6, prelu), log1p/expm1, trigonometric
// and hyperbolic functions, erf, and the binaries atan2, mod, squaredDifference. Forward runs one native kernel; each
// gradient rule (tfjs's) is composed from other ops and written beside its forward.
import { recordOp } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { runKernel } from '../engine/kernel';
import { sumToShape } from './broadcast_grad';
import { full } from './creation';
import {
  add, binaryOp, div, exp, greater, mul, neg, operands, scale, sigmoid, sqrt, square, sub, unary,
  type IntPolicy, type TensorLike,
} from './elementwise';
import { where } from './logical';

type Rule = (x: Tensor, y: Tensor, dy: Tensor) => Tensor | null;

/** A float32 unary kernel with its gradient rule dx = rule(x, y, dy); int32/bool inputs follow tfjs's per-op policy. */
function math(op: string, kernel: string, x: Tensor, rule: Rule, policy: IntPolicy = 'keep'): Tensor {
  const y = unary(op, kernel, x, undefined, policy);
  return recordOp(op, [x], y, (dy) => [rule(x, y, dy)]);
}

const zeroGrad: Rule = (x, _y, dy) => full(x.shape, 0, { device: dy.device });
const one = (x: Tensor): Tensor => full([], 1, { device: x.device });

/** Rounds down. Gradient zero (as tfjs). */
export const floor = (x: Tensor): Tensor => math('floor', 'floor', x, zeroGrad, 'float');
/** Rounds up. Gradient zero. */
export const ceil = (x: Tensor): Tensor => math('ceil', 'ceil', x, zeroGrad, 'float');
/** Rounds half to even (as tfjs). Gradient zero. */
export const round = (x: Tensor): Tensor => math('round', 'round', x, zeroGrad);

/** 1 / sqrt(x); dx = -dy y^3 / 2. */
export const rsqrt = (x: Tensor): Tensor => math('rsqrt', 'rsqrt', x, (_x, y, dy) => mul(dy, scale(mul(y, square(y)), -0.5)), 'float');
/** 1 / x; dx = -dy y^2. */
export const reciprocal = (x: Tensor): Tensor => math('reciprocal', 'reciprocal', x, (_x, y, dy) => neg(mul(dy, square(y))));
/** log(1 + exp(x)); dx = dy sigmoid(x). */
export const softplus = (x: Tensor): Tensor => math('softplus', 'softplus', x, (x, _y, dy) => mul(dy, sigmoid(x)));
/** x for x > 0, exp(x) - 1 otherwise; dx = dy where y > 0, dy (y + 1) elsewhere. */
export const elu = (x: Tensor): Tensor =>
  math('elu', 'elu', x, (_x, y, dy) => where(greater(y, 0), dy, mul(dy, add(y, 1))), 'float');
/** Scaled ELU with tfjs's (Klambauer et al.'s) constants. */
export const selu = (x: Tensor): Tensor =>
  math('selu', 'selu', x, (x, _y, dy) => where(greater(x, 0), scale(dy, SELU_SCALE), mul(dy, scale(exp(x), SELU_SCALE * SELU_ALPHA))));
const SELU_SCALE = 1.0507009873554804934193349852946;
const SELU_ALPHA = 1.6732632423543772848170429916717;
/** min(max(x, 0), 6); the gradient passes for 0 <= x <= 6. */
export const relu6 = (x: Tensor): Tensor =>
  math('relu6', 'relu6', x, (x, _y, dy) => runKernel('clip_backward', [x, dy], [{ shape: x.shape, dtype: 'float32' }], { min: 0, max: 6 })[0]);
/** log(1 + x), accurate near 0; dx = dy / (1 + x). */
export const log1p = (x: Tensor): Tensor => math('log1p', 'log1p', x, (x, _y, dy) => div(dy, add(x, 1)));
/** exp(x) - 1, accurate near 0; dx = dy (y + 1). */
export const expm1 = (x: Tensor): Tensor => math('expm1', 'expm1', x, (_x, y, dy) => mul(dy, add(y, 1)));

export const sin = (x: Tensor): Tensor => math('sin', 'sin', x, (x, _y, dy) => mul(dy, cos(x)), 'float');
export const cos = (x: Tensor): Tensor => math('cos', 'cos', x, (x, _y, dy) => neg(mul(dy, sin(x))), 'float');
export const tan = (x: Tensor): Tensor => math('tan', 'tan', x, (x, _y, dy) => div(dy, square(cos(x))), 'float');
/** dx = dy / sqrt(1 - x^2). */
export const asin = (x: Tensor): Tensor => math('asin', 'asin', x, (x, _y, dy) => div(dy, sqrt(sub(one(x), square(x)))));
/** dx = -dy / sqrt(1 - x^2). */
export const acos = (x: Tensor): Tensor => math('acos', 'acos', x, (x, _y, dy) => neg(div(dy, sqrt(sub(one(x), square(x))))));
/** dx = dy / (1 + x^2). */
export const atan = (x: Tensor): Tensor => math('atan', 'atan', x, (x, _y, dy) => div(dy, add(square(x), 1)));
export const sinh = (x: Tensor): Tensor => math('sinh', 'sinh', x, (x, _y, dy) => mul(dy, cosh(x)));
export const cosh = (x: Tensor): Tensor => math('cosh', 'cosh', x, (x, _y, dy) => mul(dy, sinh(x)), 'float');
/** dx = dy / sqrt(x^2 + 1). */
export const asinh = (x: Tensor): Tensor => math('asinh', 'asinh', x, (x, _y, dy) => div(dy, sqrt(add(square(x), 1))));
/** dx = dy / sqrt(x^2 - 1). */
export const acosh = (x: Tensor): Tensor => math('acosh', 'acosh', x, (x, _y, dy) => div(dy, sqrt(sub(square(x), 1))));
/** dx = dy / (1 - x^2). */
export const atanh = (x: Tensor): Tensor => math('atanh', 'atanh', x, (x, _y, dy) => div(dy, sub(one(x), square(x))));
/** The error function; dx = dy 2/sqrt(pi) exp(-x^2). */
export const erf = (x: Tensor): Tensor =>
  math('erf', 'erf', x, (x, _y, dy) => mul(dy, scale(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))), 'toFloat');

/** gradient g folded onto `shape` (summing broadcast axes), disposing the full-size intermediate. */
function fold(g: Tensor, shape: readonly number[]): Tensor {
  const r = sumToShape(g, shape);
  if (r !== g) g.dispose();
  return r;
}

/** atan2(a, b) elementwise (float32); d/da = dy b / (a^2 + b^2), d/db = -dy a / (a^2 + b^2). */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binaryOp('atan2', 'atan2', a, b, 'float');
  return recordOp('atan2', [x, y], out, (dy) => {
    const r = add(square(x), square(y));
    return [x.requiresGrad ? fold(div(mul(dy, y), r), x.shape) : null, y.requiresGrad ? fold(neg(div(mul(dy, x), r)), y.shape) : null];
  });
}

/** Remainder with the sign of the divisor (as tfjs and Python); d/da = dy, d/db = -dy floor(a / b). */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binaryOp('mod', 'mod', a, b, 'arith');
  return recordOp('mod', [x, y], out, (dy) => [
    x.requiresGrad ? fold(dy.view(dy.shape), x.shape) : null,
    y.requiresGrad ? fold(neg(mul(dy, floor(div(x, y)))), y.shape) : null,
  ]);
}

/** (a - b)^2 elementwise with broadcasting; d/da = 2 (a - b) dy, d/db = -2 (a - b) dy. */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('squaredDifference', a, b, 'arith');
  return square(sub(x, y));
}

/** x for x > 0, alpha * x otherwise, alpha broadcast against x (learned per channel in PReLU layers). */
export function prelu(x: Tensor, alpha: Tensor): Tensor {
  const [xx, aa] = operands('prelu', x, alpha, 'float');
  const positive = greater(xx, 0);
  return where(positive, xx, mul(xx, aa));
}
