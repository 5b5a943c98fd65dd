// softmax and logSoftmax along any axis (max-subtracted in the kernel for stability), with their backward kernels.
import { ShapeError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { checkDType, checkTensor, normalizeAxis } from './validate';

function softmaxFamily(op: string, kernel: 'softmax' | 'log_softmax', x: Tensor, axis: number): Tensor {
  checkTensor(op, 'x', x);
  checkDType(op, 'x', x, 'float32');
  if (x.rank === 0) throw new ShapeError(`${op}: 'x' must have rank >= 1, got a scalar`);
  const a = normalizeAxis(op, axis, x.rank);
  const [y] = runKernel(kernel, [x], [{ shape: x.shape, dtype: 'float32' }], { axis: a });
  // softmax: dx = y*(dy - sum(dy*y)); log_softmax: dx = dy - exp(y)*sum(dy) (sums along the axis)
  return recordOp(op, [x], y, (dy) => runKernel(`${kernel}_backward`, [y, dy], [{ shape: x.shape, dtype: 'float32' }], { axis: a }));
}

/** exp(x) / sum(exp(x)) along `axis` (default: last). */
export function softmax(x: Tensor, axis = -1): Tensor {
  return softmaxFamily('softmax', 'softmax', x, axis);
}

/** x - logsumexp(x) along `axis` (default: last). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return softmaxFamily('logSoftmax', 'log_softmax', x, axis);
}
