// Metrics (accuracy binary/categorical/sparse, precision, recall, F1, MSE, MAE) as accumulators the model sums over
// batches so epoch values are exact (not a mean of batch ratios), and the tf.metrics namespace of functions.
import { ShapeError, ValueError } from '../errors';
import * as coreMetrics from './core_metrics';
import { abs, add, argmax, cast, div, equal, greater, maximum, mul, oneHot, reshape, square, sub, sum, tensor } from '../ops';
import type { Tensor } from '../tensor';

/**
 * A metric as sufficient statistics: `stats` gives per-batch sums (scalar tensors, or plain numbers such as
 * counts), the model adds them up over an epoch, and `result` turns the totals into the value.
 */
export interface MetricSpec {
  /** Key in the logs ('acc', 'precision', ...; 'val_' is prefixed for validation). */
  name: string;
  stats(yTrue: Tensor, yPred: Tensor): (Tensor | number)[];
  result(totals: number[]): number;
}

const THRESHOLD = 0.5;

function checkSame(metric: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.shape.join() !== yPred.shape.join()) {
    throw new ShapeError(`${metric}: yTrue [${yTrue.shape}] and yPred [${yPred.shape}] must have the same shape`);
  }
}

const asFloat = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : cast(t, 'float32'));

/** Whether labels are class indices for yPred (int32, or one fewer axis / a trailing 1 where yPred has classes). */
function isSparse(yTrue: Tensor, yPred: Tensor): boolean {
  const classes = yPred.shape[yPred.rank - 1];
  if (yTrue.dtype === 'int32' && yTrue.shape.join() !== yPred.shape.join()) return true;
  if (classes === 1) return false;
  return yTrue.rank === yPred.rank - 1 || (yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1);
}

function sparseIndices(metric: string, yTrue: Tensor, yPred: Tensor): Tensor {
  const rows = yPred.size / yPred.shape[yPred.rank - 1];
  if (yTrue.size !== rows) throw new ShapeError(`${metric}: yTrue [${yTrue.shape}] needs one class index per row of yPred [${yPred.shape}]`);
  const labels = yTrue.dtype === 'int32' ? yTrue : cast(yTrue, 'int32');
  return reshape(labels, [rows]);
}

const predictedClass = (yPred: Tensor): Tensor => reshape(argmax(yPred, -1), [-1]);

const ratio = (t: number[]): number => (t[1] > 0 ? t[0] / t[1] : 0);

export const binaryAccuracySpec: MetricSpec = {
  name: 'binaryAccuracy',
  stats(yTrue, yPred) {
    checkSame('binaryAccuracy', yTrue, yPred);
    return [sum(equal(asFloat(yTrue), greater(yPred, THRESHOLD))), yPred.size];
  },
  result: ratio,
};

export const categoricalAccuracySpec: MetricSpec = {
  name: 'categoricalAccuracy',
  stats(yTrue, yPred) {
    checkSame('categoricalAccuracy', yTrue, yPred);
    const hits = equal(predictedClass(yTrue), predictedClass(yPred));
    return [sum(hits), hits.size];
  },
  result: ratio,
};

export const sparseCategoricalAccuracySpec: MetricSpec = {
  name: 'sparseCategoricalAccuracy',
  stats(yTrue, yPred) {
    const hits = equal(sparseIndices('sparseCategoricalAccuracy', yTrue, yPred), predictedClass(yPred));
    return [sum(hits), hits.size];
  },
  result: ratio,
};

/** 'accuracy' picks its kind from the data: class indices -> sparse, one output -> binary, else categorical (Keras). */
export const accuracySpec: MetricSpec = {
  name: 'acc',
  stats(yTrue, yPred) {
    if (isSparse(yTrue, yPred)) return sparseCategoricalAccuracySpec.stats(yTrue, yPred);
    if (yPred.shape[yPred.rank - 1] === 1 || yPred.rank === 1) return binaryAccuracySpec.stats(yTrue, yPred);
    return categoricalAccuracySpec.stats(yTrue, yPred);
  },
  result: ratio,
};

/**
 * Positive labels and positive predictions as 0/1 float tensors: thresholded at 0.5 elementwise (Keras' binary
 * precision/recall); class-index labels are one-hot encoded and the prediction is the one-hot argmax.
 */
function positives(metric: string, yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  if (isSparse(yTrue, yPred)) {
    const classes = yPred.shape[yPred.rank - 1];
    return [oneHot(sparseIndices(metric, yTrue, yPred), classes, 1, 0, 'float32'), oneHot(predictedClass(yPred), classes, 1, 0, 'float32')];
  }
  checkSame(metric, yTrue, yPred);
  return [cast(greater(asFloat(yTrue), THRESHOLD), 'float32'), cast(greater(yPred, THRESHOLD), 'float32')];
}

// Totals: [true positives, predicted positives, actual positives].
function confusionStats(metric: string) {
  return (yTrue: Tensor, yPred: Tensor): Tensor[] => {
    const [t, p] = positives(metric, yTrue, yPred);
    return [sum(mul(t, p)), sum(p), sum(t)];
  };
}

export const precisionSpec: MetricSpec = {
  name: 'precision',
  stats: confusionStats('precision'),
  result: ([tp, pp]) => (pp > 0 ? tp / pp : 0),
};

export const recallSpec: MetricSpec = {
  name: 'recall',
  stats: confusionStats('recall'),
  result: ([tp, , ap]) => (ap > 0 ? tp / ap : 0),
};

export const f1Spec: MetricSpec = {
  name: 'f1',
  stats: confusionStats('f1'),
  // F1 = 2 tp / (2 tp + fp + fn) = 2 tp / (predicted + actual).
  result: ([tp, pp, ap]) => (pp + ap > 0 ? (2 * tp) / (pp + ap) : 0),
};

/** The mean over all elements of f(yPred - yTrue): mse with square, mae with abs; `metric` names it in errors. */
function meanErrorSpec(name: string, metric: string, f: (d: Tensor) => Tensor): MetricSpec {
  return {
    name,
    stats(yTrue, yPred) {
      checkSame(metric, yTrue, yPred);
      return [sum(f(sub(yPred, asFloat(yTrue)))), yPred.size];
    },
    result: ratio,
  };
}

export const mseSpec: MetricSpec = meanErrorSpec('mse', 'meanSquaredError', square);
export const maeSpec: MetricSpec = meanErrorSpec('mae', 'meanAbsoluteError', abs);

/** A user metric function (yTrue, yPred) -> scalar tensor, averaged over batches weighted by batch size. */
export function metricFromFunction(name: string, fn: (yTrue: Tensor, yPred: Tensor) => Tensor): MetricSpec {
  return {
    name,
    stats(yTrue, yPred) {
      const n = yPred.shape[0] ?? 1;
      return [mul(fn(yTrue, yPred), n), n];
    },
    result: ratio,
  };
}

const byName: Record<string, MetricSpec> = {
  accuracy: accuracySpec,
  acc: accuracySpec,
  binaryAccuracy: binaryAccuracySpec,
  categoricalAccuracy: categoricalAccuracySpec,
  sparseCategoricalAccuracy: sparseCategoricalAccuracySpec,
  precision: precisionSpec,
  recall: recallSpec,
  f1: f1Spec,
  f1Score: f1Spec,
  mse: mseSpec,
  meanSquaredError: mseSpec,
  mae: maeSpec,
  meanAbsoluteError: maeSpec,
};

export type MetricIdentifier = string | ((yTrue: Tensor, yPred: Tensor) => Tensor) | MetricSpec;

/**
 * A metric by name or function. 'accuracy'/'acc' follows the loss as Keras does: binaryCrossentropy -> binary,
 * sparseCategoricalCrossentropy -> sparse, categoricalCrossentropy -> categorical, otherwise from the data's shapes.
 */
export function getMetric(id: MetricIdentifier, lossName?: string): MetricSpec {
  if (typeof id === 'function') return metricFromFunction(id.name || 'metric', id);
  if (id && typeof id === 'object' && typeof id.stats === 'function') return id;
  if (typeof id === 'string' && byName[id]) {
    if (id === 'accuracy' || id === 'acc') {
      const fixed =
        lossName === 'binaryCrossentropy'
          ? binaryAccuracySpec
          : lossName === 'sparseCategoricalCrossentropy'
            ? sparseCategoricalAccuracySpec
            : lossName === 'categoricalCrossentropy'
              ? categoricalAccuracySpec
              : accuracySpec;
      return { ...fixed, name: 'acc' };
    }
    return byName[id];
  }
  throw new ValueError(`metric: unknown metric ${JSON.stringify(id)} (expected one of ${Object.keys(byName).join(', ')} or a function)`);
}

/** The same formula as `result`, on the device (no read-back): zero denominators give 0, as `result` does. */
export function resultOnDevice(spec: MetricSpec, parts: (Tensor | number)[], device: string): Tensor {
  const safeDiv = (a: Tensor | number, b: Tensor | number): Tensor => {
    const num = typeof a === 'number' ? tensor([a], [], { device }) : a;
    return div(num, typeof b === 'number' ? Math.max(b, 1e-30) : maximum(b, 1e-30));
  };
  if (spec === recallSpec) return safeDiv(parts[0], parts[2]);
  if (spec === f1Spec) return safeDiv(mul(parts[0] as Tensor, 2), add(parts[1] as Tensor, parts[2] as Tensor));
  return safeDiv(parts[0], parts[1]);
}

/** Evaluates a spec on one batch to a scalar tensor (the standalone form). */
function standalone(spec: MetricSpec) {
  return (yTrue: Tensor, yPred: Tensor): Tensor => resultOnDevice(spec, spec.stats(yTrue, yPred), yPred.device);
}

/**
 * The `metrics` namespace (tf.metrics): tfjs's metric functions with tfjs's semantics (see core_metrics.ts: values per
 * example over the last axis; precision, recall and r2Score as scalars), plus tensornode's `accuracy` and `f1`
 * (scalars, predictions thresholded at 0.5 as in compile()) and the `mae` alias.
 */
export const metrics = {
  ...coreMetrics,
  accuracy: standalone(accuracySpec),
  f1: standalone(f1Spec),
  mae: coreMetrics.meanAbsoluteError,
  MAE: coreMetrics.meanAbsoluteError,
};
