// tf.losses as tfjs defines it: (labels, predictions, weights?, ..., reduction) with the Reduction enum, weights
// broadcast onto the per-element losses and SUM_BY_NONZERO_WEIGHTS by default.
import { ShapeError, ValueError } from '../errors';
import { abs, add, cast, div, equal, exp, log, logSoftmax, mean, minimum, mul, neg, onesLike, relu, scale, square, sub, sum } from '../ops';
import type { Tensor } from '../tensor';
import { checkTensor } from '../ops/validate';

/** How per-element losses become the result (values as tfjs's enum). */
export enum Reduction {
  NONE = 0,
  MEAN = 1,
  SUM = 2,
  SUM_BY_NONZERO_WEIGHTS = 3,
}

function checkPair(op: string, labels: unknown, predictions: unknown): [Tensor, Tensor] {
  const l = checkTensor(op, 'labels', labels);
  const p = checkTensor(op, 'predictions', predictions);
  if (l.shape.join() !== p.shape.join()) throw new ShapeError(`${op}: 'labels' shape [${l.shape}] and 'predictions' shape [${p.shape}] must match`);
  return [l.dtype === 'float32' ? l : cast(l, 'float32'), p];
}

function checkWeights(op: string, weights: unknown): Tensor | null {
  if (weights === undefined || weights === null) return null;
  return checkTensor(op, 'weights', weights);
}

/** losses * weights reduced as `reduction` says (tfjs's computeWeightedLoss). */
export function computeWeightedLoss(losses: Tensor, weights?: Tensor | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const op = 'computeWeightedLoss';
  checkTensor(op, 'losses', losses);
  const w = checkWeights(op, weights);
  const weighted = w === null ? losses : mul(losses, w);
  switch (reduction) {
    case Reduction.NONE:
      return weighted;
    case Reduction.SUM:
      return sum(weighted);
    case Reduction.MEAN: {
      if (w === null) return mean(weighted);
      // The weights' sum counts each weight once per element it broadcasts onto.
      const factor = losses.size / Math.max(w.size, 1);
      const result = div(sum(weighted), sum(w));
      return factor > 1 ? scale(result, 1 / factor) : result;
    }
    case Reduction.SUM_BY_NONZERO_WEIGHTS: {
      if (w === null) return scale(sum(weighted), 1 / Math.max(losses.size, 1));
      const nonzero = sum(sub(1, equal(mul(w, onesLike(losses)), 0)));
      return div(sum(weighted), nonzero);
    }
    default:
      throw new ValueError(`${op}: unknown reduction ${JSON.stringify(reduction)} (expected a Reduction: NONE, MEAN, SUM or SUM_BY_NONZERO_WEIGHTS)`);
  }
}

/** |labels - predictions|. */
export function absoluteDifference(labels: Tensor, predictions: Tensor, weights?: Tensor, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const [l, p] = checkPair('absoluteDifference', labels, predictions);
  return computeWeightedLoss(abs(sub(l, p)), checkWeights('absoluteDifference', weights), reduction);
}

/** (labels - predictions)^2. */
export function meanSquaredError(labels: Tensor, predictions: Tensor, weights?: Tensor, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const [l, p] = checkPair('meanSquaredError', labels, predictions);
  return computeWeightedLoss(square(sub(l, p)), checkWeights('meanSquaredError', weights), reduction);
}

/** 1 - sum(labels * predictions, axis) (inputs expected unit-normalised along axis). */
export function cosineDistance(labels: Tensor, predictions: Tensor, axis: number, weights?: Tensor, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const [l, p] = checkPair('cosineDistance', labels, predictions);
  return computeWeightedLoss(sub(1, sum(mul(l, p), axis, true)), checkWeights('cosineDistance', weights), reduction);
}

/** max(0, 1 - (2 * labels - 1) * predictions), labels in {0, 1}. */
export function hingeLoss(labels: Tensor, predictions: Tensor, weights?: Tensor, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const [l, p] = checkPair('hingeLoss', labels, predictions);
  return computeWeightedLoss(relu(sub(1, mul(scale(l, 2, -1), p))), checkWeights('hingeLoss', weights), reduction);
}

/** 0.5 * e^2 where |e| <= delta, delta * (|e| - 0.5 * delta) beyond (e = predictions - labels). */
export function huberLoss(labels: Tensor, predictions: Tensor, weights?: Tensor, delta = 1.0, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const [l, p] = checkPair('huberLoss', labels, predictions);
  const error = abs(sub(p, l));
  const quadratic = minimum(error, delta);
  const linear = sub(error, quadratic);
  return computeWeightedLoss(add(scale(square(quadratic), 0.5), scale(linear, delta)), checkWeights('huberLoss', weights), reduction);
}

/** -labels * log(predictions + epsilon) - (1 - labels) * log(1 - predictions + epsilon). */
export function logLoss(labels: Tensor, predictions: Tensor, weights?: Tensor, epsilon = 1e-7, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const [l, p] = checkPair('logLoss', labels, predictions);
  const losses = sub(neg(mul(l, log(add(p, epsilon)))), mul(sub(1, l), log(add(sub(1, p), epsilon))));
  return computeWeightedLoss(losses, checkWeights('logLoss', weights), reduction);
}

/** Sigmoid cross-entropy from logits (numerically stable form), labels smoothed towards 0.5 by labelSmoothing. */
export function sigmoidCrossEntropy(multiClassLabels: Tensor, logits: Tensor, weights?: Tensor, labelSmoothing = 0, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const op = 'sigmoidCrossEntropy';
  let [l, z] = checkPair(op, multiClassLabels, logits);
  if (labelSmoothing > 0) l = scale(l, 1 - labelSmoothing, 0.5 * labelSmoothing);
  // max(z, 0) - z * t + log(1 + exp(-|z|))
  const losses = add(sub(relu(z), mul(z, l)), log(add(exp(neg(abs(z))), 1)));
  return computeWeightedLoss(losses, checkWeights(op, weights), reduction);
}

/** Softmax cross-entropy over the last axis (one loss per row), labels smoothed by labelSmoothing / numClasses. */
export function softmaxCrossEntropy(onehotLabels: Tensor, logits: Tensor, weights?: Tensor, labelSmoothing = 0, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const op = 'softmaxCrossEntropy';
  let [l, z] = checkPair(op, onehotLabels, logits);
  if (labelSmoothing > 0) {
    const classes = z.shape[z.rank - 1];
    l = scale(l, 1 - labelSmoothing, labelSmoothing / classes);
  }
  const losses = neg(sum(mul(l, logSoftmax(z, -1)), -1));
  return computeWeightedLoss(losses, checkWeights(op, weights), reduction);
}
