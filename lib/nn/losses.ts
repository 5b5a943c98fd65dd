// Losses by name and as functions (Keras names, (yTrue, yPred) order): per-sample values, weighted means, fromLogits.
import { ShapeError, ValueError } from '../errors';
import {
  abs,
  binaryCrossEntropy,
  cast,
  clip,
  div,
  log,
  mean,
  mul,
  neg,
  oneHot,
  reshape,
  softmaxCrossEntropy,
  square,
  sub,
  sum,
} from '../ops';
import type { Tensor } from '../tensor';
import * as coreLosses from './core_losses';

export interface LossArgs {
  /** yPred holds logits (pre-sigmoid / pre-softmax) instead of probabilities. Default false. */
  fromLogits?: boolean;
}

export type LossName =
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'binaryCrossentropy'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy';

// Keras clips probabilities to [EPS, 1 - EPS] before log in the probability forms.
const EPS = 1e-7;

/** Mean over every axis but the first: [N, ...] -> [N] (rank 1 stays as is). */
function perRow(x: Tensor): Tensor {
  if (x.rank <= 1) return x;
  return mean(reshape(x, [x.shape[0], -1]), 1);
}

function sameShapeOrThrow(loss: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.shape.join() !== yPred.shape.join()) {
    throw new ShapeError(`${loss}: yTrue [${yTrue.shape}] and yPred [${yPred.shape}] must have the same shape`);
  }
}

/** [..., C] -> [rows, C] for the cross-entropies, which are per class-vector. */
function rows2d(x: Tensor): Tensor {
  return x.rank === 2 ? x : reshape(x, [-1, x.shape[x.rank - 1]]);
}

/** Sparse labels as int32 [rows]: int32 or float32 class indices, shaped [N], [N, 1] or like yPred without its last axis. */
function sparseLabels(loss: string, yTrue: Tensor, yPred: Tensor): Tensor {
  const rows = yPred.size / yPred.shape[yPred.rank - 1];
  if (yTrue.size !== rows) {
    throw new ShapeError(`${loss}: yTrue [${yTrue.shape}] must hold one class index per row of yPred [${yPred.shape}] (${rows} rows)`);
  }
  const labels = yTrue.dtype === 'int32' ? yTrue : cast(yTrue, 'int32');
  return labels.rank === 1 ? labels : reshape(labels, [rows]);
}

/**
 * Per-sample losses [N] (the batch axis kept, everything else averaged or summed as Keras does). The model weights
 * and averages these; the exported loss functions return their mean.
 */
export const perSampleLosses: Record<LossName, (yTrue: Tensor, yPred: Tensor, args?: LossArgs) => Tensor> = {
  meanSquaredError(yTrue, yPred) {
    sameShapeOrThrow('meanSquaredError', yTrue, yPred);
    return perRow(square(sub(yPred, yTrue)));
  },
  meanAbsoluteError(yTrue, yPred) {
    sameShapeOrThrow('meanAbsoluteError', yTrue, yPred);
    return perRow(abs(sub(yPred, yTrue)));
  },
  binaryCrossentropy(yTrue, yPred, args = {}) {
    sameShapeOrThrow('binaryCrossentropy', yTrue, yPred);
    // The native op clamps log(p) at -100 (torch) in the probability form and is softplus-stable from logits.
    const t = yTrue.dtype === 'float32' ? yTrue : cast(yTrue, 'float32');
    return perRow(binaryCrossEntropy(yPred, t, { fromLogits: args.fromLogits ?? false, reduction: 'none' }));
  },
  categoricalCrossentropy(yTrueIn, yPred, args = {}) {
    sameShapeOrThrow('categoricalCrossentropy', yTrueIn, yPred);
    // One-hot labels from tfjs's oneHot are int32: use them as float32 probabilities, as tfjs does.
    const yTrue = yTrueIn.dtype === 'float32' ? yTrueIn : cast(yTrueIn, 'float32');
    const n = yPred.rank > 1 ? yPred.shape[0] : 1;
    let rowLoss: Tensor;
    if (args.fromLogits) {
      rowLoss = softmaxCrossEntropy(rows2d(yPred), rows2d(yTrue), { reduction: 'none' });
    } else {
      // Keras: renormalize the probabilities, clip away from 0 and 1, then -sum(t * log p).
      const p = clip(div(yPred, sum(yPred, -1, true)), EPS, 1 - EPS);
      rowLoss = neg(sum(mul(yTrue, log(p)), -1));
    }
    return rowLoss.rank === 1 && rowLoss.shape[0] === n ? rowLoss : perRow(reshape(rowLoss, [n, -1]));
  },
  sparseCategoricalCrossentropy(yTrue, yPred, args = {}) {
    const labels = sparseLabels('sparseCategoricalCrossentropy', yTrue, yPred);
    const n = yPred.rank > 1 ? yPred.shape[0] : 1;
    const logits = rows2d(yPred);
    let rowLoss: Tensor;
    if (args.fromLogits) {
      rowLoss = softmaxCrossEntropy(logits, labels, { reduction: 'none' });
    } else {
      const p = clip(div(logits, sum(logits, -1, true)), EPS, 1 - EPS);
      rowLoss = neg(sum(mul(oneHot(labels, logits.shape[1], 1, 0, 'float32'), log(p)), -1));
    }
    return rowLoss.shape[0] === n ? rowLoss : perRow(reshape(rowLoss, [n, -1]));
  },
};

const aliases: Record<string, LossName> = {
  mse: 'meanSquaredError',
  MSE: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  MAE: 'meanAbsoluteError',
  mean_absolute_error: 'meanAbsoluteError',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

export function isLossName(id: unknown): id is LossName {
  return typeof id === 'string' && (Object.prototype.hasOwnProperty.call(perSampleLosses, id) || id in aliases);
}

/** The canonical name of a loss given by name or alias; throws on unknown names. */
export function canonicalLossName(id: string): LossName {
  if (Object.prototype.hasOwnProperty.call(perSampleLosses, id)) return id as LossName;
  if (id in aliases) return aliases[id];
  throw new ValueError(`loss: unknown loss ${JSON.stringify(id)} (expected one of ${Object.keys(perSampleLosses).join(', ')})`);
}

/** Sum(w_i * l_i) / N: Keras' weighted 'sum over batch size' reduction. */
export function weightedMean(per: Tensor, sampleWeight?: Tensor | null): Tensor {
  if (!sampleWeight) return mean(per);
  return div(sum(mul(per, sampleWeight)), per.size);
}

function meanOf(name: LossName) {
  return (yTrue: Tensor, yPred: Tensor, args: LossArgs = {}): Tensor => mean(perSampleLosses[name](yTrue, yPred, args));
}

/**
 * The `losses` namespace (tf.losses): tfjs's core losses ((labels, predictions, weights?, ..., reduction), see
 * core_losses.ts) plus the Keras losses compile() knows by name, each returning its scalar mean (differentiable w.r.t.
 * yPred).
 */
export const losses = {
  ...coreLosses,
  meanAbsoluteError: meanOf('meanAbsoluteError'),
  binaryCrossentropy: meanOf('binaryCrossentropy'),
  categoricalCrossentropy: meanOf('categoricalCrossentropy'),
  sparseCategoricalCrossentropy: meanOf('sparseCategoricalCrossentropy'),
};
