// Loss ops: softmax cross-entropy (class indices or soft labels), binary cross-entropy, mean squared error.
//
// Each runs a per-row / per-element kernel with its own backward, then applies the reduction with sum/mean,
// whose backward rules chain onto it.
import { ShapeError, ValueError } from '../errors';
import { recordOp } from '../autograd/tape';
import { runKernel } from '../engine/kernel';
import type { Tensor } from '../tensor';
import { log, maximum, mul, neg, scale, sub } from './elementwise';
import { mean, sum } from './reduce';
import { checkDType, checkFloatPair, checkRank, checkSameDevice, checkSameShape, checkTensor } from './validate';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default) averages over rows (cross-entropy) or elements (bce, mse); 'sum' adds; 'none' keeps them. */
  reduction?: Reduction;
}

function checkReduction(op: string, r: unknown): Reduction {
  if (r === undefined) return 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new ValueError(`${op}: 'reduction' must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  }
  return r;
}

/** The checks of a loss over two float32 tensors of one shape (bce, mse); returns the reduction. */
function checkElementwiseLoss(op: string, aName: string, a: Tensor, bName: string, b: Tensor, options: LossOptions): Reduction {
  checkFloatPair(op, aName, a, bName, b);
  checkSameShape(op, aName, a, bName, b);
  return checkReduction(op, options.reduction);
}

function reduce(per: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return per;
  return reduction === 'sum' ? sum(per) : mean(per);
}

/** Dispose-after helper for backward intermediates. */
function consume<T>(t: Tensor, fn: (t: Tensor) => T): T {
  const r = fn(t);
  t.dispose();
  return r;
}

/**
 * Cross-entropy of softmax(logits) [N, C] against int32 class indices [N] or float32 (soft / one-hot) labels [N, C].
 * Per row: logsumexp(z)*sum(t) - sum(t*z) (= logsumexp(z) - z[label] for indices), as torch cross_entropy.
 * Integer labels outside [0, C) are data, so the device finds them: the loss (and everything computed from it)
 * is poisoned, and every read of it rejects with a ValueError naming the label and its row.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, options: LossOptions = {}): Tensor {
  const op = 'softmaxCrossEntropy';
  checkTensor(op, 'logits', logits);
  checkTensor(op, 'labels', labels);
  checkSameDevice(op, { logits, labels });
  checkDType(op, 'logits', logits, 'float32');
  checkRank(op, 'logits', logits, 2);
  const reduction = checkReduction(op, options.reduction);
  const [N, C] = logits.shape;
  if (C === 0 && N > 0) throw new ShapeError(`${op}: 'logits' [${logits.shape}] has no classes (C = 0)`);
  const sparse = labels.dtype === 'int32';
  if (sparse && !(labels.rank === 1 && labels.shape[0] === N)) {
    throw new ShapeError(`${op}: int32 'labels' must have shape [${N}] (one class index per row of logits [${logits.shape}]), got [${labels.shape}]`);
  }
  if (!sparse) checkSameShape(op, 'logits', logits, 'labels', labels);
  const [per, probs] = runKernel('softmax_cross_entropy', [logits, labels], [
    { shape: [N], dtype: 'float32' },
    { shape: [N, C], dtype: 'float32' },
  ]);
  const out = recordOp(op, [logits, labels], per, (dl) => [
    // dz = (probs*sum(t) - t) * dl per row (probs - onehot for indices)
    logits.requiresGrad ? runKernel('softmax_cross_entropy_backward', [probs, labels, dl], [{ shape: [N, C], dtype: 'float32' }])[0] : null,
    // dt = -log_softmax(z) * dl per row (soft labels only)
    !sparse && labels.requiresGrad
      ? consume(runKernel('log_softmax', [logits], [{ shape: [N, C], dtype: 'float32' }], { axis: 1 })[0], (ls) =>
          consume(dl.view([N, 1]), (dl2) => consume(mul(ls, dl2), (g) => neg(g))))
      : null,
  ], [probs]);
  return reduce(out, reduction);
}

export interface BinaryCrossEntropyOptions extends LossOptions {
  /** x holds logits (sigmoid applied inside, stably) instead of probabilities. Default false. */
  fromLogits?: boolean;
}

/** Binary cross-entropy of x (probabilities, or logits with fromLogits) against targets in [0, 1] of the same shape. */
export function binaryCrossEntropy(x: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  const op = 'binaryCrossEntropy';
  const reduction = checkElementwiseLoss(op, 'x', x, 'target', target, options);
  const fromLogits = options.fromLogits === true ? 1 : 0;
  const [per] = runKernel('binary_cross_entropy', [x, target], [{ shape: x.shape, dtype: 'float32' }], { fromLogits });
  const out = recordOp(op, [x, target], per, (dl) => [
    // fromLogits: (sigmoid(x) - t) dl; probabilities: (p - t) / max(p(1-p), 1e-12) dl
    x.requiresGrad ? runKernel('binary_cross_entropy_backward', [x, target, dl], [{ shape: x.shape, dtype: 'float32' }], { fromLogits })[0] : null,
    // fromLogits: dt = -x dl; probabilities: dt = (max(log(1-p), -100) - max(log p, -100)) dl
    target.requiresGrad ? targetGrad(x, dl, fromLogits === 1) : null,
  ]);
  return reduce(out, reduction);
}

function targetGrad(x: Tensor, dl: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return consume(mul(x, dl), (g) => neg(g));
  const logP = consume(log(x), (l) => maximum(l, -100));
  const log1mP = consume(scale(x, -1, 1), (q) => consume(log(q), (l) => maximum(l, -100)));
  const d = sub(log1mP, logP);
  logP.dispose();
  log1mP.dispose();
  return consume(d, (t) => mul(t, dl));
}

/** Mean squared error (a - b)^2, reduced as asked (default: mean over all elements). Shapes must match. */
export function mse(prediction: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const op = 'mse';
  const reduction = checkElementwiseLoss(op, 'prediction', prediction, 'target', target, options);
  const [per] = runKernel('squared_error', [prediction, target], [{ shape: prediction.shape, dtype: 'float32' }]);
  const out = recordOp(op, [prediction, target], per, (dl) => {
    // da = 2(a - b) dl, db = -da
    const da = runKernel('squared_error_backward', [prediction, target, dl], [{ shape: prediction.shape, dtype: 'float32' }])[0];
    const db = target.requiresGrad ? neg(da) : null;
    if (!prediction.requiresGrad) {
      da.dispose();
      return [null, db];
    }
    return [da, db];
  });
  return reduce(out, reduction);
}
