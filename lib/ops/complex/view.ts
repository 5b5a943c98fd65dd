// The two views between a complex64 tensor and the float32 [...shape, 2] tensor of its (re, im) pairs: same storage,
// no copy, differentiable both ways. Complex ops run float32 ops on the pairs and wrap the result back.
import { recordOp } from '../../autograd/tape';
import { InternalError } from '../../errors';
import { Tensor } from '../../tensor';

/** True for a complex64 tensor (operands that are numbers or arrays are real). */
export function isComplex(x: unknown): x is Tensor {
  return x instanceof Tensor && x.dtype === 'complex64';
}

/** The float32 [...shape, 2] view of complex `c`'s interleaved (re, im) pairs; its gradient flows back as complex. */
export function pairsOf(c: Tensor): Tensor {
  if (c.dtype !== 'complex64') throw new InternalError(`pairsOf: expected a complex64 tensor, got ${c.dtype}`);
  const p = new Tensor(c.storage('complex pairs').retain(), [...c.shape, 2], 'float32');
  return recordOp('complexPairs', [c], p, (dy) => [complexFromPairs(dy)]);
}

/** The complex64 view of float32 `p` of shape [...shape, 2] (re, im in its last dim); its gradient flows back as pairs. */
export function complexFromPairs(p: Tensor): Tensor {
  if (p.dtype !== 'float32' || p.rank === 0 || p.shape[p.rank - 1] !== 2) {
    throw new InternalError(`complexFromPairs: expected float32 [..., 2] pairs, got ${p.dtype} [${p.shape}]`);
  }
  const c = new Tensor(p.storage('complex view').retain(), p.shape.slice(0, -1), 'complex64');
  return recordOp('complexFromPairs', [p], c, (dy) => [pairsOf(dy)]);
}
