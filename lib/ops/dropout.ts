// Dropout: zeroes elements with probability `rate` and scales the rest by 1/(1-rate); the mask is the gradient.
import { ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import { nextSeed } from '../random';
import type { Tensor } from '../tensor';
import { checkDType, checkNumber, checkTensor } from './validate';

export interface DropoutOptions {
  /** Seed of the mask (same seed, same mask on every device); default: the next seed of the global sequence (setSeed). */
  seed?: number;
  /** When false, dropout is the identity (inference). Default true. */
  training?: boolean;
}

/** Inverted dropout. Identity (a view of x) when rate is 0 or not training. */
export function dropout(x: Tensor, rate: number, options: DropoutOptions = {}): Tensor {
  const op = 'dropout';
  checkTensor(op, 'x', x);
  checkDType(op, 'x', x, 'float32');
  checkNumber(op, 'rate', rate, { min: 0, max: 1 });
  if (rate === 1) throw new ValueError(`${op}: 'rate' must be in [0, 1) (rate 1 would drop everything), got 1`);
  if (options.seed !== undefined) checkNumber(op, 'seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true });
  if (rate === 0 || options.training === false) {
    const y = x.view(x.shape);
    return recordOp(op, [x], y, (dy) => [dy]);
  }
  const seed = options.seed ?? nextSeed();
  const [y, mask] = runKernel(op, [x], [{ shape: x.shape, dtype: 'float32' }, { shape: x.shape, dtype: 'float32' }], { rate, seed });
  // dx = dy * mask (the mask already holds the 1/(1-rate) scale); the node owns the mask
  return recordOp(op, [x], y, (dy) => runKernel('mul', [dy, mask], [{ shape: x.shape, dtype: 'float32' }]), [mask]);
}
