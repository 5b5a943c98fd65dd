// tfjs's batchNorm and localResponseNormalization, composed from elementwise ops (their gradients come with them).
import { ShapeError, ValueError } from '../errors';
import type { Tensor } from '../tensor';
import { add, div, mul, pow, square, sub } from './elementwise';
import { rsqrt } from './math';
import { pad, slice } from './layout';
import { checkNumber, checkRank, checkTensor } from './validate';

/** (x - mean) / sqrt(variance + varianceEpsilon) * scale + offset, all broadcasting against x (tfjs batchNorm). */
export function batchNorm(x: Tensor, mean: Tensor, variance: Tensor, offset?: Tensor, scale?: Tensor, varianceEpsilon = 0.001): Tensor {
  const op = 'batchNorm';
  checkTensor(op, 'x', x);
  checkTensor(op, 'mean', mean);
  checkTensor(op, 'variance', variance);
  if (offset !== undefined && offset !== null) checkTensor(op, 'offset', offset);
  if (scale !== undefined && scale !== null) checkTensor(op, 'scale', scale);
  checkNumber(op, 'varianceEpsilon', varianceEpsilon, { min: 0 });
  for (const [name, t] of [['mean', mean], ['variance', variance], ['offset', offset], ['scale', scale]] as const) {
    if (t && t.rank !== 1 && t.rank !== x.rank && t.size !== 1) {
      throw new ShapeError(`${op}: '${name}' [${t.shape}] must have rank 1 or x's rank ${x.rank}`);
    }
  }
  let y = mul(sub(x, mean), rsqrt(add(variance, varianceEpsilon)));
  if (scale) y = mul(y, scale);
  if (offset) y = add(y, offset);
  return y;
}

/**
 * x / (bias + alpha * sum of x^2 over the channels within depthRadius) ^ beta, over the last dim of a rank-4 (or
 * rank-3) x (tfjs localResponseNormalization).
 */
export function localResponseNormalization(x: Tensor, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5): Tensor {
  const op = 'localResponseNormalization';
  checkTensor(op, 'x', x);
  checkRank(op, 'x', x, 3, 4);
  checkNumber(op, 'depthRadius', depthRadius, { min: 0, integer: true });
  for (const [name, v] of [['bias', bias], ['alpha', alpha], ['beta', beta]] as const) checkNumber(op, name, v);
  if (x.dtype !== 'float32') throw new ValueError(`${op}: x must be float32, got ${x.dtype}`);
  const c = x.shape[x.rank - 1];
  const r = depthRadius;
  // Window sums over channels: pad x^2 by r zeros on both sides of the last dim, add the 2r+1 shifted slices.
  const padded = pad(square(x), x.shape.map((_, i) => (i === x.rank - 1 ? [r, r] : [0, 0])) as [number, number][]);
  let windowSum: Tensor | null = null;
  for (let k = 0; k <= 2 * r; k++) {
    const part = slice(padded, x.shape.map((_, i) => (i === x.rank - 1 ? k : 0)), [...x.shape.slice(0, -1), c]);
    windowSum = windowSum ? add(windowSum, part) : part;
  }
  return div(x, pow(add(mul(windowSum as Tensor, alpha), bias), beta));
}
