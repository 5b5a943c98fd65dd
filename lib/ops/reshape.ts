// Shape-only and device ops: reshape (a view, -1 inferred), flatten, cast, clone, and to(device).
import { DTypeError, ShapeError } from '../errors';
import { isDType, type DType } from '../dtype';
import type { Device } from '../device';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { native } from '../native';
import { StorageRef } from '../memory';
import { Tensor } from '../tensor';
import { checkTensor } from './validate';
import { castComplex } from './complex/construct';
import { complexFromPairs, pairsOf } from './complex/view';

/** Same data, new shape (one entry may be -1 and is inferred). Shares storage with x. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const op = 'reshape';
  checkTensor(op, 'x', x, true);
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: 'shape' must be an array, got ${JSON.stringify(shape)}`);
  const inferAt = shape.indexOf(-1);
  if (shape.some((d, i) => !Number.isInteger(d) || (d < 0 && !(d === -1 && i === inferAt))) || shape.lastIndexOf(-1) !== inferAt) {
    throw new ShapeError(`${op}: 'shape' must hold non-negative integers and at most one -1, got [${shape}]`);
  }
  const known = shape.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const resolved = [...shape];
  if (inferAt >= 0) {
    if (known === 0 || x.size % known !== 0) throw new ShapeError(`${op}: cannot reshape [${x.shape}] (${x.size} elements) to [${shape}]`);
    resolved[inferAt] = x.size / known;
  }
  if (resolved.reduce((a, b) => a * b, 1) !== x.size) {
    throw new ShapeError(`${op}: cannot reshape [${x.shape}] (${x.size} elements) to [${shape}]`);
  }
  const y = x.view(resolved);
  return recordOp(op, [x], y, (dy) => [dy.view(x.shape)]);
}

/** [N, ...] -> [N, product of the rest]. */
export function flatten(x: Tensor): Tensor {
  checkTensor('flatten', 'x', x);
  return reshape(x, [x.shape[0] ?? 1, -1]);
}

/**
 * Converts to another dtype (float32 -> int32 truncates toward zero). Not differentiable, except to and from complex64
 * (complex -> real keeps the real part, real -> complex has a zero imaginary part; see complex/construct.ts).
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor('cast', 'x', x, true);
  if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype ${JSON.stringify(dtype)}`);
  if (x.dtype === 'complex64' || dtype === 'complex64') return castComplex(x, dtype);
  return runKernel('cast', [x], [{ shape: x.shape, dtype }])[0];
}

/** A copy with its own storage. */
export function clone(x: Tensor): Tensor {
  checkTensor('clone', 'x', x, true);
  if (x.dtype === 'complex64') return complexFromPairs(clone(pairsOf(x)));
  const [y] = runKernel('copy', [x], [{ shape: x.shape, dtype: x.dtype }]);
  return recordOp('clone', [x], y, (dy) => [dy]);
}

/** x on `device` (x itself when already there); the gradient flows back to x's device. */
export function toDevice(x: Tensor, device: Device): Tensor {
  checkTensor('to', 'x', x, true);
  if (x.device === device) return x;
  const ref = x.storage('to');
  const handle = native.copyTo(ref.handle, ref.nbytes, device);
  const y = new Tensor(new StorageRef(handle, ref.nbytes, device), x.shape, x.dtype);
  return recordOp('to', [x], y, (dy) => [toDevice(dy, x.device)]);
}
