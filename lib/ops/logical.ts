// Bool ops (as tfjs): logicalAnd/Or/Xor/Not, isNaN/isFinite/isInf, and where(condition, a, b) with its gradient.
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { sumToShape } from './broadcast_grad';
import { full } from './creation';
import { operands, type TensorLike } from './elementwise';
import { broadcastShapes, checkDType, checkSameDevice, checkTensor } from './validate';

function logicalBinary(op: string, kernel: string, a: TensorLike, b: TensorLike): Tensor {
  const [x, y, shape] = operands(op, a, b, 'logical');
  return runKernel(kernel, [x, y], [{ shape, dtype: 'bool' }])[0];
}

/** Elementwise a AND b of two bool tensors (broadcasting). */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logicalBinary('logicalAnd', 'logical_and', a, b);
/** Elementwise a OR b of two bool tensors (broadcasting). */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logicalBinary('logicalOr', 'logical_or', a, b);
/** Elementwise a XOR b of two bool tensors (broadcasting). */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => logicalBinary('logicalXor', 'logical_xor', a, b);

/** Elementwise NOT of a bool tensor. */
export function logicalNot(x: Tensor): Tensor {
  checkTensor('logicalNot', 'x', x);
  checkDType('logicalNot', 'x', x, 'bool');
  return runKernel('logical_not', [x], [{ shape: x.shape, dtype: 'bool' }])[0];
}

/** A float predicate: bool result; int32 and bool inputs hold no NaN or infinity. */
function predicate(op: string, kernel: string, x: Tensor, intAnswer: boolean): Tensor {
  checkTensor(op, 'x', x);
  if (x.dtype !== 'float32') return full(x.shape, intAnswer ? 1 : 0, { dtype: 'bool', device: x.device });
  return runKernel(kernel, [x], [{ shape: x.shape, dtype: 'bool' }])[0];
}

/** True where x is NaN. */
export const isNaN = (x: Tensor): Tensor => predicate('isNaN', 'is_nan', x, false);
/** True where x is neither NaN nor infinite. */
export const isFinite = (x: Tensor): Tensor => predicate('isFinite', 'is_finite', x, true);
/** True where x is +-infinity. */
export const isInf = (x: Tensor): Tensor => predicate('isInf', 'is_inf', x, false);

/** Raw select kernel: condition ? a : b, broadcast to `shape`. */
function select(condition: Tensor, a: Tensor, b: Tensor, shape: readonly number[]): Tensor {
  return runKernel('select', [condition, a, b], [{ shape, dtype: a.dtype }])[0];
}

/**
 * Picks a where `condition` (bool) is true and b elsewhere; all three broadcast together; a and b are promoted to one
 * dtype (as tfjs). The gradient flows to a where the condition holds and to b elsewhere.
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const op = 'where';
  checkTensor(op, 'condition', condition);
  checkDType(op, 'condition', condition, 'bool');
  const [x, y] = operands(op, a, b, 'select');
  checkSameDevice(op, { condition, a: x, b: y });
  return selectOp(condition, x, y);
}

function selectOp(condition: Tensor, a: Tensor, b: Tensor): Tensor {
  const op = 'where';
  const shape = broadcastShapes(op, broadcastShapes(op, condition.shape, a.shape), b.shape);
  const y = select(condition, a, b, shape);
  return recordOp(op, [condition, a, b], y, (dy) => {
    const zero = full([], 0, { device: dy.device });
    const fold = (g: Tensor, to: readonly number[]): Tensor => {
      const r = sumToShape(g, to);
      if (r !== g) g.dispose();
      return r;
    };
    const grads = [
      null,
      a.requiresGrad ? fold(select(condition, dy, zero, dy.shape as number[]), a.shape) : null,
      b.requiresGrad ? fold(select(condition, zero, dy, dy.shape as number[]), b.shape) : null,
    ];
    zero.dispose();
    return grads;
  });
}
