// Arithmetic on complex64 tensors (what tfjs's CPU backend computes on them: add, sub, mul, abs; neg besides), as
// float32 ops on their (re, im) pairs, so gradients come from the float ops and every backend runs them.
import { noGrad, recordOp } from '../../autograd/tape';
import { tidy } from '../../memory';
import { Tensor } from '../../tensor';
import { add, div, greater, mul, neg, sqrt, square, sub, type TensorLike } from '../elementwise';
import { concat } from '../layout';
import { where } from '../logical';
import { sum } from '../reduce';
import { expandDims, split } from '../stack';
import { broadcastShapes, checkSameDevice, checkTensor } from '../validate';
import { asComplex } from './construct';
import { complexFromPairs, pairsOf } from './view';

/**
 * a + b, a - b or a * b where at least one operand is complex64; the other is promoted (zero imaginary part), and
 * both broadcast as real operands do.
 */
export function complexBinary(op: 'add' | 'sub' | 'mul', a: TensorLike, b: TensorLike): Tensor {
  const device = (a instanceof Tensor ? a : (b as Tensor)).device;
  const x = asComplex(op, 'a', a, device);
  const y = asComplex(op, 'b', b, device);
  checkSameDevice(op, { a: x, b: y });
  broadcastShapes(op, x.shape, y.shape); // names the complex shapes, not the pairs' shapes
  // The pairs' trailing dim of 2 lines up in both operands, so the rest broadcasts as the complex shapes do.
  // tidy: autograd accumulates complex gradients with add() outside any op scope.
  return tidy(() => {
    const p = pairsOf(x);
    const q = pairsOf(y);
    if (op === 'add') return complexFromPairs(add(p, q));
    if (op === 'sub') return complexFromPairs(sub(p, q));
    // (pr + i pi)(qr + i qi) = (pr qr - pi qi) + i (pr qi + pi qr)
    const [pr, pi] = split(p, 2, -1);
    const [qr, qi] = split(q, 2, -1);
    return complexFromPairs(concat([sub(mul(pr, qr), mul(pi, qi)), add(mul(pr, qi), mul(pi, qr))], -1));
  });
}

/** -x of complex x. */
export function complexNeg(x: Tensor): Tensor {
  checkTensor('neg', 'x', x, true);
  return tidy(() => complexFromPairs(neg(pairsOf(x))));
}

/** |x| = sqrt(re^2 + im^2) of complex x, float32. */
export function complexAbs(x: Tensor): Tensor {
  checkTensor('abs', 'x', x, true);
  return tidy(() => {
    const p = pairsOf(x);
    const y = noGrad(() => sqrt(sum(square(p), -1)));
    // d|z|/d(re, im) = (re, im) / |z|; 0 at z = 0, where |z| has no derivative (the subgradient PyTorch also picks).
    return recordOp('complexAbs', [p], y, (dy) => [
      tidy(() => {
        const nonzero = greater(y, 0);
        const scale = where(nonzero, div(dy, where(nonzero, y, 1)), 0);
        return mul(p, expandDims(scale, -1));
      }),
    ]);
  });
}
