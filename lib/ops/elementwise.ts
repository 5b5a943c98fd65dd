// Elementwise ops with NumPy broadcasting: binaries, comparisons, unaries; each backward rule sits beside its forward.
//
// The pattern every op file follows: validate synchronously (typed errors naming op/argument/expected/actual),
// compute the output shape, runKernel(), then recordOp() with the backward rule (which runs under noGrad).
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { Tensor } from '../tensor';
import { full } from './creation';
import { sumToShape } from './broadcast_grad';
import { broadcastShapes, checkDType, checkNumber, checkSameDevice, checkTensor } from './validate';

export type TensorLike = Tensor | number;

/** Validates a binary op's operands; a plain number becomes a scalar of the other operand's dtype and device. */
function operands(op: string, a: TensorLike, b: TensorLike, floatOnly: boolean): [Tensor, Tensor, number[]] {
  if (typeof a === 'number' && typeof b === 'number') throw new ValueError(`${op}: at least one operand must be a Tensor`);
  const ta = typeof a === 'number' ? null : checkTensor(op, 'a', a);
  const tb = typeof b === 'number' ? null : checkTensor(op, 'b', b);
  const ref = (ta ?? tb) as Tensor;
  const x = ta ?? full([], checkNumber(op, 'a', a), { dtype: ref.dtype, device: ref.device });
  const y = tb ?? full([], checkNumber(op, 'b', b), { dtype: ref.dtype, device: ref.device });
  checkSameDevice(op, { a: x, b: y });
  if (x.dtype !== y.dtype) checkDType(op, 'b', y, x.dtype);
  if (floatOnly) checkDType(op, 'a', x, 'float32');
  return [x, y, broadcastShapes(op, x.shape, y.shape)];
}

function binary(op: string, kernel: string, a: TensorLike, b: TensorLike, floatOnly: boolean): [Tensor, Tensor, Tensor] {
  const [x, y, shape] = operands(op, a, b, floatOnly);
  const [out] = runKernel(kernel, [x, y], [{ shape, dtype: x.dtype }]);
  return [x, y, out];
}

/** a + b */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binary('add', 'add', a, b, false);
  // d/da = dy, d/db = dy (summed over broadcast axes)
  return recordOp('add', [x, y], out, (dy) => [sumToShape(dy, x.shape), sumToShape(dy, y.shape)]);
}

/** a - b */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binary('sub', 'sub', a, b, false);
  // d/da = dy, d/db = -dy
  return recordOp('sub', [x, y], out, (dy) => [sumToShape(dy, x.shape), y.requiresGrad ? sumInto(neg(dy), y.shape) : null]);
}

/** a * b */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binary('mul', 'mul', a, b, false);
  // d/da = dy * b, d/db = dy * a
  return recordOp('mul', [x, y], out, (dy) => [
    x.requiresGrad ? sumInto(mul(dy, y), x.shape) : null,
    y.requiresGrad ? sumInto(mul(dy, x), y.shape) : null,
  ]);
}

/** a / b */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binary('div', 'div', a, b, true);
  // d/da = dy / b, d/db = -dy * a / b^2 = -dy * out / b
  return recordOp('div', [x, y], out, (dy) => [
    x.requiresGrad ? sumInto(div(dy, y), x.shape) : null,
    y.requiresGrad ? sumInto(neg(div(mul(dy, out), y)), y.shape) : null,
  ]);
}

/** a ** b (float32) */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binary('pow', 'pow', a, b, true);
  // d/da = dy * b * a^(b-1), d/db = dy * a^b * log(a)
  return recordOp('pow', [x, y], out, (dy) => [
    x.requiresGrad ? sumInto(mul(dy, mul(y, pow(x, sub(y, 1)))), x.shape) : null,
    y.requiresGrad ? sumInto(mul(dy, mul(out, log(x))), y.shape) : null,
  ]);
}

function extremum(op: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binary(op, op, a, b, false);
  // The larger (smaller) operand gets dy; ties split it in half.
  return recordOp(op, [x, y], out, (dy) => {
    const [da, db] = runKernel(`${op}_backward`, [x, y, dy], [
      { shape: dy.shape, dtype: 'float32' },
      { shape: dy.shape, dtype: 'float32' },
    ]);
    return [sumInto(da, x.shape), sumInto(db, y.shape)];
  });
}

/** Elementwise larger of a and b. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('maximum', a, b);
}

/** Elementwise smaller of a and b. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('minimum', a, b);
}

// Comparisons: float32 0/1 results, no gradient.
export const equal = (a: TensorLike, b: TensorLike): Tensor => compare('equal', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare('greater_equal', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => compare('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare('less_equal', a, b);

function compare(kernel: string, a: TensorLike, b: TensorLike): Tensor {
  const [x, y, shape] = operands(kernel, a, b, false);
  return runKernel(kernel, [x, y], [{ shape, dtype: 'float32' }])[0];
}

/** sumToShape that disposes the full-size intermediate when it reduced it. */
function sumInto(g: Tensor, shape: readonly number[]): Tensor {
  const r = sumToShape(g, shape);
  if (r !== g) g.dispose();
  return r;
}

// ---- unaries ----

function unary(op: string, kernel: string, x: Tensor, attrs?: Attrs): Tensor {
  checkTensor(op, 'x', x);
  checkDType(op, 'x', x, 'float32');
  return runKernel(kernel, [x], [{ shape: x.shape, dtype: 'float32' }], attrs)[0];
}

/** Backward through a dedicated kernel: dx = kernel(saved, dy). */
function viaKernel(kernel: string, saved: Tensor, attrs?: Attrs) {
  return (dy: Tensor): Tensor[] => runKernel(kernel, [saved, dy], [{ shape: saved.shape, dtype: 'float32' }], attrs);
}

export function neg(x: Tensor): Tensor {
  const y = unary('neg', 'neg', x);
  return recordOp('neg', [x], y, (dy) => [neg(dy)]); // dx = -dy
}

export function exp(x: Tensor): Tensor {
  const y = unary('exp', 'exp', x);
  return recordOp('exp', [x], y, (dy) => [mul(dy, y)]); // dx = dy * exp(x)
}

export function log(x: Tensor): Tensor {
  const y = unary('log', 'log', x);
  return recordOp('log', [x], y, (dy) => [div(dy, x)]); // dx = dy / x
}

export function sqrt(x: Tensor): Tensor {
  const y = unary('sqrt', 'sqrt', x);
  return recordOp('sqrt', [x], y, (dy) => [div(dy, scale(y, 2))]); // dx = dy / (2 sqrt(x))
}

export function square(x: Tensor): Tensor {
  const y = unary('square', 'square', x);
  return recordOp('square', [x], y, (dy) => [mul(dy, scale(x, 2))]); // dx = 2 x dy
}

export function abs(x: Tensor): Tensor {
  const y = unary('abs', 'abs', x);
  return recordOp('abs', [x], y, viaKernel('abs_backward', x)); // dx = dy * sign(x)
}

/** -1, 0 or 1 per element (no gradient). */
export function sign(x: Tensor): Tensor {
  return unary('sign', 'sign', x);
}

export function relu(x: Tensor): Tensor {
  const y = unary('relu', 'relu', x);
  return recordOp('relu', [x], y, viaKernel('relu_backward', x)); // dx = dy * (x > 0)
}

/** x for x > 0, alpha * x otherwise (alpha defaults to 0.2, as in Keras and tfjs). */
export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  checkNumber('leakyRelu', 'alpha', alpha);
  const y = unary('leakyRelu', 'leaky_relu', x, { alpha });
  return recordOp('leakyRelu', [x], y, viaKernel('leaky_relu_backward', x, { alpha }));
}

export function sigmoid(x: Tensor): Tensor {
  const y = unary('sigmoid', 'sigmoid', x);
  return recordOp('sigmoid', [x], y, viaKernel('sigmoid_backward', y)); // dx = dy * y (1 - y)
}

export function tanh(x: Tensor): Tensor {
  const y = unary('tanh', 'tanh', x);
  return recordOp('tanh', [x], y, viaKernel('tanh_backward', y)); // dx = dy (1 - y^2)
}

/** GELU, exact erf form (PyTorch's and Keras's default). */
export function gelu(x: Tensor): Tensor {
  const y = unary('gelu', 'gelu', x);
  return recordOp('gelu', [x], y, viaKernel('gelu_backward', x));
}

/** Clamps to [min, max]; the gradient passes where min <= x <= max. */
export function clip(x: Tensor, min: number, max: number): Tensor {
  checkNumber('clip', 'min', min);
  checkNumber('clip', 'max', max);
  if (min > max) throw new ValueError(`clip: 'min' (${min}) must not exceed 'max' (${max})`);
  const y = unary('clip', 'clip', x, { min, max });
  return recordOp('clip', [x], y, viaKernel('clip_backward', x, { min, max }));
}

/** alpha * x + beta in one kernel. */
export function scale(x: Tensor, alpha: number, beta = 0): Tensor {
  checkNumber('scale', 'alpha', alpha);
  checkNumber('scale', 'beta', beta);
  const y = unary('scale', 'scale', x, { alpha, beta });
  return recordOp('scale', [x], y, (dy) => [scale(dy, alpha)]); // dx = alpha dy
}
