// Elementwise ops with NumPy broadcasting: binaries, comparisons, unaries; each backward rule sits beside its forward.
//
// The pattern every op file follows: validate synchronously (typed errors naming op/argument/expected/actual),
// compute the output shape, runKernel(), then recordOp() with the backward rule (which runs under noGrad).
import { ValueError } from '../errors';
import type { Attrs } from '../native';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { full, tensor } from './creation';
import { cast } from './reshape';
import { upcastType } from '../dtype';
import type { Device } from '../device';
import { Tensor, type NestedArray } from '../tensor';
import { sumToShape } from './broadcast_grad';
import { broadcastShapes, checkDType, checkNumber, checkSameDevice, checkTensor } from './validate';
import { complexAbs, complexBinary, complexNeg } from './complex/arith';
import { isComplex } from './complex/view';

/** An operand: a Tensor, or a number / boolean / (nested) array that becomes one (tfjs's TensorLike). */
export type TensorLike = Tensor | number | boolean | NestedArray;

/**
 * How a binary op treats dtypes: same-dtype arithmetic, float-only math, comparison (bool out), logical (bool in),
 * select (plain promotion, bool stays bool).
 */
export type BinaryKind = 'arith' | 'float' | 'compare' | 'logical' | 'select';

/** A non-tensor operand as a tensor on `device`: numbers are float32 and booleans bool, as tfjs infers them. */
function asTensor(op: string, arg: string, v: unknown, device: Device): Tensor {
  if (typeof v === 'number') return full([], v, { dtype: 'float32', device });
  if (typeof v === 'boolean') return full([], v ? 1 : 0, { dtype: 'bool', device });
  if (Array.isArray(v)) return tensor(v as NestedArray, undefined, { device });
  throw new ValueError(`${op}: argument '${arg}' must be a Tensor, number, boolean or array, got ${v === null ? 'null' : typeof v}`);
}

/**
 * Validates a binary op's operands and applies tfjs's dtype promotion (upcastType: float32 > int32 > bool; plain
 * numbers count as float32, so add(int32 tensor, 2.5) is float32). Arithmetic never runs on bool (it is counted as
 * int32), float-only ops on float32, logical ops need bool operands. Returns both operands in the working dtype.
 */
export function operands(op: string, a: TensorLike, b: TensorLike, kind: BinaryKind = 'arith'): [Tensor, Tensor, readonly number[]] {
  const ta = a instanceof Tensor ? checkTensor(op, 'a', a) : null;
  const tb = b instanceof Tensor ? checkTensor(op, 'b', b) : null;
  if (!ta && !tb) throw new ValueError(`${op}: at least one operand must be a Tensor`);
  const device = (ta ?? tb)!.device;
  let x = ta ?? asTensor(op, 'a', a, device);
  let y = tb ?? asTensor(op, 'b', b, device);
  if (x.device !== y.device) checkSameDevice(op, { a: x, b: y }); // throws the DeviceError
  const shape = broadcastShapes(op, x.shape, y.shape);
  if (kind === 'logical') {
    checkDType(op, 'a', x, 'bool');
    checkDType(op, 'b', y, 'bool');
    return [x, y, shape];
  }
  let dtype = upcastType(x.dtype, y.dtype);
  if (kind === 'float') dtype = 'float32';
  else if (kind === 'arith' && dtype === 'bool') dtype = 'int32';
  if (x.dtype !== dtype) x = cast(x, dtype);
  if (y.dtype !== dtype) y = cast(y, dtype);
  return [x, y, shape];
}

/** Runs a binary kernel on promoted operands; returns [a, b, out] (the operands as the kernel saw them). */
export function binaryOp(op: string, kernel: string, a: TensorLike, b: TensorLike, kind: BinaryKind): [Tensor, Tensor, Tensor] {
  const [x, y, shape] = operands(op, a, b, kind);
  const outDType = kind === 'compare' || kind === 'logical' ? 'bool' : x.dtype;
  const [out] = runKernel(kernel, [x, y], [{ shape, dtype: outDType }]);
  return [x, y, out];
}

/** a + b */
export function add(a: TensorLike, b: TensorLike): Tensor {
  if (isComplex(a) || isComplex(b)) return complexBinary('add', a, b);
  const [x, y, out] = binaryOp('add', 'add', a, b, 'arith');
  // d/da = dy, d/db = dy (summed over broadcast axes)
  return recordOp('add', [x, y], out, (dy) => [sumToShape(dy, x.shape), sumToShape(dy, y.shape)]);
}

/** a - b */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  if (isComplex(a) || isComplex(b)) return complexBinary('sub', a, b);
  const [x, y, out] = binaryOp('sub', 'sub', a, b, 'arith');
  // d/da = dy, d/db = -dy
  return recordOp('sub', [x, y], out, (dy) => [sumToShape(dy, x.shape), y.requiresGrad ? sumInto(neg(dy), y.shape) : null]);
}

/** a * b */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  if (isComplex(a) || isComplex(b)) return complexBinary('mul', a, b);
  const [x, y, out] = binaryOp('mul', 'mul', a, b, 'arith');
  // d/da = dy * b, d/db = dy * a
  return recordOp('mul', [x, y], out, (dy) => [
    x.requiresGrad ? sumInto(mul(dy, y), x.shape) : null,
    y.requiresGrad ? sumInto(mul(dy, x), y.shape) : null,
  ]);
}

/** a / b; two int32 operands divide with floor, as tfjs (floorDiv). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  if (bothInt(a, b)) return floorDiv(a, b);
  const [x, y, out] = binaryOp('div', 'div', a, b, 'float');
  // d/da = dy / b, d/db = -dy * a / b^2 = -dy * out / b
  return recordOp('div', [x, y], out, (dy) => [
    x.requiresGrad ? sumInto(div(dy, y), x.shape) : null,
    y.requiresGrad ? sumInto(neg(div(mul(dy, out), y)), y.shape) : null,
  ]);
}

/** a ** b; two int32 operands give int32 (computed in float32, exact below 2^24), as tfjs. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (bothInt(a, b)) return cast(binaryOp('pow', 'pow', a, b, 'float')[2], 'int32');
  const [x, y, out] = binaryOp('pow', 'pow', a, b, 'float');
  // d/da = dy * b * a^(b-1), d/db = dy * a^b * log(a)
  return recordOp('pow', [x, y], out, (dy) => [
    x.requiresGrad ? sumInto(mul(dy, mul(y, pow(x, sub(y, 1)))), x.shape) : null,
    y.requiresGrad ? sumInto(mul(dy, mul(out, log(x))), y.shape) : null,
  ]);
}

function extremum(op: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  const [x, y, out] = binaryOp(op, op, a, b, 'arith');
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

// Comparisons: bool results (as tfjs), no gradient.
export const equal = (a: TensorLike, b: TensorLike): Tensor => compare('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare('not_equal', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare('greater_equal', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => compare('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare('less_equal', a, b);

const camel = (kernel: string): string => kernel.replace(/_(.)/g, (_m, c: string) => c.toUpperCase());

function compare(kernel: string, a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(camel(kernel), kernel, a, b, 'compare')[2];
}

const isIntLike = (v: TensorLike): boolean => v instanceof Tensor && v.dtype === 'int32';
const bothInt = (a: TensorLike, b: TensorLike): boolean => isIntLike(a) && isIntLike(b);

/** floor(a / b) (tfjs floorDiv): always an int32 result, as tfjs; an int32 divisor of 0 gives 0. Not differentiable. */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  const [, , out] = binaryOp('floorDiv', 'floor_div', a, b, 'arith');
  if (out.dtype === 'int32') return out;
  const r = cast(out, 'int32');
  out.dispose();
  return r;
}

/** sumToShape that disposes the full-size intermediate when it reduced it. */
function sumInto(g: Tensor, shape: readonly number[]): Tensor {
  const r = sumToShape(g, shape);
  if (r !== g) g.dispose();
  return r;
}

// ---- unaries ----

/**
 * What a unary op does with int32 and bool inputs, as tfjs does per op: 'float' rejects them (DTypeError), 'toFloat'
 * computes in float32 with a float32 result, 'keep' computes in float32 and casts back to the input's dtype.
 */
export type IntPolicy = 'float' | 'toFloat' | 'keep';

/** A float32 unary kernel applied under `policy` (exact for int32 inputs below 2^24). */
export function unary(op: string, kernel: string, x: Tensor, attrs?: Attrs, policy: IntPolicy = 'float'): Tensor {
  checkTensor(op, 'x', x);
  if (x.dtype === 'float32') return runKernel(kernel, [x], [{ shape: x.shape, dtype: 'float32' }], attrs)[0];
  if (policy === 'float') checkDType(op, 'x', x, 'float32');
  const f = cast(x, 'float32');
  const y = runKernel(kernel, [f], [{ shape: x.shape, dtype: 'float32' }], attrs)[0];
  f.dispose();
  if (policy === 'toFloat') return y;
  const back = cast(y, x.dtype);
  y.dispose();
  return back;
}

/** Backward through a dedicated kernel: dx = kernel(saved, dy). */
function viaKernel(kernel: string, saved: Tensor, attrs?: Attrs) {
  return (dy: Tensor): Tensor[] => runKernel(kernel, [saved, dy], [{ shape: saved.shape, dtype: 'float32' }], attrs);
}

export function neg(x: Tensor): Tensor {
  if (isComplex(x)) return complexNeg(x);
  const y = unary('neg', 'neg', x, undefined, 'keep');
  return recordOp('neg', [x], y, (dy) => [neg(dy)]); // dx = -dy
}

export function exp(x: Tensor): Tensor {
  const y = unary('exp', 'exp', x, undefined, 'toFloat');
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
  const y = unary('square', 'square', x, undefined, 'keep');
  return recordOp('square', [x], y, (dy) => [mul(dy, scale(x, 2))]); // dx = 2 x dy
}

/** |x|; for complex x, its magnitude (float32). */
export function abs(x: Tensor): Tensor {
  if (isComplex(x)) return complexAbs(x);
  const y = unary('abs', 'abs', x, undefined, 'keep');
  return recordOp('abs', [x], y, viaKernel('abs_backward', x)); // dx = dy * sign(x)
}

/** -1, 0 or 1 per element (no gradient). */
export function sign(x: Tensor): Tensor {
  return unary('sign', 'sign', x, undefined, 'keep');
}

export function relu(x: Tensor): Tensor {
  const y = unary('relu', 'relu', x, undefined, 'keep');
  return recordOp('relu', [x], y, viaKernel('relu_backward', x)); // dx = dy * (x > 0)
}

/** x for x > 0, alpha * x otherwise (alpha defaults to 0.2, as in Keras and tfjs). */
export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  checkNumber('leakyRelu', 'alpha', alpha);
  const y = unary('leakyRelu', 'leaky_relu', x, { alpha }, 'toFloat');
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
  const y = unary('clip', 'clip', x, { min, max }, 'keep');
  return recordOp('clip', [x], y, viaKernel('clip_backward', x, { min, max }));
}

/** tfjs's name for clip: clamps to [clipValueMin, clipValueMax]. */
export function clipByValue(x: Tensor, clipValueMin: number, clipValueMax: number): Tensor {
  return clip(x, clipValueMin, clipValueMax);
}

/** alpha * x + beta in one kernel. */
export function scale(x: Tensor, alpha: number, beta = 0): Tensor {
  checkNumber('scale', 'alpha', alpha);
  checkNumber('scale', 'beta', beta);
  const y = unary('scale', 'scale', x, { alpha, beta });
  return recordOp('scale', [x], y, (dy) => [scale(dy, alpha)]); // dx = alpha dy
}
