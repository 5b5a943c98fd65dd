// tf.metrics as tfjs defines them: (yTrue, yPred), per-example values over the last axis (precision, recall and
// r2Score are scalars), float32 results, probabilities clipped by epsilon 1e-7 as tfjs-layers does.
import { ShapeError } from '../errors';
import { abs, add, argmax, cast, clip, div, equal, exp, greater, log, maximum, mean, mul, neg, relu, reshape, scale, sqrt, square, sub, sum } from '../ops';
import { checkTensor } from '../ops/validate';
import type { Tensor } from '../tensor';

const EPSILON = 1e-7;

function pair(op: string, yTrue: unknown, yPred: unknown, sameShape = true): [Tensor, Tensor] {
  const t = checkTensor(op, 'yTrue', yTrue);
  const p = checkTensor(op, 'yPred', yPred);
  if (sameShape && t.shape.join() !== p.shape.join()) throw new ShapeError(`${op}: 'yTrue' shape [${t.shape}] and 'yPred' shape [${p.shape}] must match`);
  return [t.dtype === 'float32' ? t : cast(t, 'float32'), p.dtype === 'float32' ? p : cast(p, 'float32')];
}

/** Fraction of entries (last axis) where yPred > 0.5 agrees with yTrue, per example. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('binaryAccuracy', yTrue, yPred);
  return mean(equal(t, greater(p, 0.5)), -1);
}

/** Binary cross-entropy of probabilities (clipped to [eps, 1 - eps]), averaged over the last axis. */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('binaryCrossentropy', yTrue, yPred);
  const q = clip(p, EPSILON, 1 - EPSILON);
  const z = log(div(q, sub(1, q)));
  // relu(z) - z * t + log(1 + exp(-|z|)), the stable sigmoid cross-entropy of the logits z
  return mean(add(sub(relu(z), mul(z, t)), log(add(exp(neg(abs(z))), 1))), -1);
}

/** 1 where argMax(yTrue) == argMax(yPred) over the last axis, per example. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('categoricalAccuracy', yTrue, yPred);
  return equal(argmax(t, -1), argmax(p, -1));
}

/** -sum(yTrue * log(yPred normalised to sum 1 and clipped)) over the last axis, per example. */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('categoricalCrossentropy', yTrue, yPred);
  const q = clip(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON);
  return neg(sum(mul(t, log(q)), -1));
}

function l2Normalize(x: Tensor): Tensor {
  return div(x, sqrt(maximum(sum(square(x), -1, true), EPSILON)));
}

/** -cos(yTrue, yPred) over the last axis, per example. */
export function cosineProximity(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('cosineProximity', yTrue, yPred);
  return neg(sum(mul(l2Normalize(t), l2Normalize(p)), -1));
}

export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('meanAbsoluteError', yTrue, yPred);
  return mean(abs(sub(p, t)), -1);
}

export function meanAbsolutePercentageError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('meanAbsolutePercentageError', yTrue, yPred);
  return scale(mean(abs(div(sub(t, p), clip(abs(t), EPSILON, Number.MAX_VALUE))), -1), 100);
}

export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('meanSquaredError', yTrue, yPred);
  return mean(square(sub(p, t)), -1);
}

/** Counts of (yTrue == a and yPred == b) over everything. */
function countWhere(t: Tensor, p: Tensor, a: number, b: number): Tensor {
  return sum(mul(equal(t, a), equal(p, b)));
}

/** tp / (tp + fp) over all entries (yPred must already be 0/1), 0 when nothing is predicted positive. */
export function precision(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('precision', yTrue, yPred);
  const tp = countWhere(t, p, 1, 1);
  const denom = add(tp, countWhere(t, p, 0, 1));
  return div(tp, maximum(denom, 1)); // tp is 0 whenever denom is 0
}

/** tp / (tp + fn) over all entries (yPred must already be 0/1), 0 when there are no positives. */
export function recall(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('recall', yTrue, yPred);
  const tp = countWhere(t, p, 1, 1);
  const denom = add(tp, countWhere(t, p, 1, 0));
  return div(tp, maximum(denom, 1));
}

/** 1 - sum((yTrue - yPred)^2) / sum((yTrue - mean(yTrue))^2), a scalar. */
export function r2Score(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = pair('r2Score', yTrue, yPred);
  return sub(1, div(sum(square(sub(t, p))), sum(square(sub(t, mean(t))))));
}

/** 1 where the integer label equals argMax(yPred) over the last axis, per example. */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const op = 'sparseCategoricalAccuracy';
  const [t0, p] = pair(op, yTrue, yPred, false);
  const t = t0.rank === p.rank ? reshape(t0, t0.shape.slice(0, -1)) : t0;
  if (t.shape.join() !== p.shape.slice(0, -1).join()) throw new ShapeError(`${op}: 'yTrue' shape [${yTrue.shape}] does not match 'yPred' [${yPred.shape}] without its last axis`);
  return equal(t, cast(argmax(p, -1), 'float32'));
}

export const MAPE = meanAbsolutePercentageError;
export const mape = meanAbsolutePercentageError;
export const MSE = meanSquaredError;
export const mse = meanSquaredError;
