// Internal (not re-exported by lib/ops): runs an NHWC op on one unbatched [H, W, C] image as tfjs's conv and pool ops do.
import type { Tensor } from '../tensor';
import { reshape } from './reshape';
import { checkRank, checkTensor } from './validate';

/** Runs f on x as a batch: a rank-3 image gets a batch dim of 1 for the call and loses it after. */
export function batched(op: string, x: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  checkTensor(op, 'x', x);
  checkRank(op, 'x', x, 3, 4);
  if (x.rank === 4) return f(x);
  const y = f(reshape(x, [1, ...x.shape]));
  return reshape(y, y.shape.slice(1));
}
