// fitDataset / evaluateDataset (tfjs): training and evaluation driven by a tf.data Dataset of {xs, ys} (or [xs, ys])
// batches, on the model's own per-batch training step. The next batch is requested from the dataset as soon as the
// current step is queued, so the data pipeline works while the device computes.
import { ValueError } from '../errors';
import { dispose } from '../memory';
import { tensor } from '../ops';
import { Tensor } from '../tensor';
import type { Device } from '../device';
import { CallbackList, type CallbackHooks, type TrainParams } from '../callbacks/callback';
import { History } from '../callbacks/history';
import { createRegisteredCallbacks } from '../callbacks/registry';
import { ProgressLogger } from '../callbacks/progress';
import type { Logs, TrainingModel } from '../callbacks/types';
import { isArrayND } from '../data/tfdata/structure';
import type { ArrayND } from '../data/array';

/** What a model lends fitDataset: its batch steps (queued on the device, values read back later) and log keys. */
export interface DatasetSteps<V> {
  /** 'loss' and the metric names, in the order evaluate reports them. */
  keys: string[];
  device: Device;
  /** Queues one optimizer step; resolves to the batch's values once the device is done. */
  train(xs: unknown, ys: unknown): Promise<V>;
  /** Queues one inference-mode loss/metrics pass. */
  evaluate(xs: unknown, ys: unknown): Promise<V>;
  /** Sums batch values over an epoch (losses weighted by batch size). */
  accumulator(): { add(values: V, size: number): void; logs(): Logs };
  /** Evaluates tensors [x, y] (validationData given as tensors). */
  evaluateTensors(x: Tensor, y: Tensor, batchSize: number): Promise<Logs>;
}

/** Anything fitDataset can iterate: a tf.data Dataset, or a DataLoader (one epoch per iterator). */
export interface BatchSource {
  iterator(): Promise<{ next(): Promise<IteratorResult<unknown>>; return?(): unknown }>;
}

export interface ModelFitDatasetArgs {
  /** Default 1. */
  epochs?: number;
  /** Batches per epoch; the dataset iterator then continues across epochs. Default: run the dataset to its end each epoch. */
  batchesPerEpoch?: number;
  initialEpoch?: number;
  callbacks?: CallbackHooks | CallbackHooks[] | null;
  /** 0 silent, 1 progress, 2 a line per epoch. Default 1. */
  verbose?: number;
  /** A dataset of batches, or tensors [x, y]. */
  validationData?: BatchSource | [Tensor, Tensor];
  /** Batches of a validation dataset used per epoch (default: all). */
  validationBatches?: number;
  /** Batch size for tensor validationData (default 32). */
  validationBatchSize?: number;
}

export interface ModelEvaluateDatasetArgs {
  /** Batches to evaluate (default: the whole dataset). */
  batches?: number;
}

interface TrainableModel extends TrainingModel {
  name: string;
}

/** Splits a dataset element into (xs, ys): {xs, ys} or [xs, ys]. ArrayND leaves become tensors on `device`. */
function splitElement(model: string, v: unknown, device: Device): { xs: unknown; ys: unknown; size: number } {
  let xs: unknown;
  let ys: unknown;
  if (Array.isArray(v) && v.length === 2) [xs, ys] = v;
  else if (v && typeof v === 'object' && 'xs' in v && 'ys' in v) ({ xs, ys } = v as { xs: unknown; ys: unknown });
  else throw new ValueError(`${model}.fitDataset: dataset elements must be {xs, ys} or [xs, ys], got ${describe(v)}`);
  const conv = (t: unknown): unknown => {
    if (isArrayND(t)) return tensor((t as ArrayND).data instanceof Int32Array ? (t as ArrayND).data : Float32Array.from((t as ArrayND).data), (t as ArrayND).shape, { device });
    if (Array.isArray(t)) return t.map(conv);
    if (t && typeof t === 'object' && !(t instanceof Tensor)) return Object.fromEntries(Object.entries(t).map(([k, x]) => [k, conv(x)]));
    return t;
  };
  xs = conv(xs);
  ys = conv(ys);
  const first = firstTensor(xs);
  if (!first) throw new ValueError(`${model}.fitDataset: 'xs' of a dataset element holds no tensor (got ${describe(xs)})`);
  return { xs, ys, size: first.shape[0] };
}

function firstTensor(v: unknown): Tensor | null {
  if (v instanceof Tensor) return v;
  const list = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
  for (const x of list) {
    const t = firstTensor(x);
    if (t) return t;
  }
  return null;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a tensor [${v.shape}]`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v && typeof v === 'object') return `an object with keys {${Object.keys(v).join(', ')}}`;
  return typeof v;
}

function checkOptionalInt(model: string, what: string, name: string, v: unknown, min: number): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${model}.${what}: '${name}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
}

function checkSource(model: string, what: string, arg: string, ds: unknown): BatchSource {
  if (!ds || typeof (ds as BatchSource).iterator !== 'function') throw new ValueError(`${model}.${what}: '${arg}' must be a tf.data Dataset (or a DataLoader), got ${describe(ds)}`);
  return ds as BatchSource;
}

/** Trains `model` on the batches of `dataset` (tfjs' model.fitDataset); resolves to the History. */
export async function fitDataset<V>(model: TrainableModel, steps: DatasetSteps<V>, dataset: unknown, args: ModelFitDatasetArgs = {}): Promise<History> {
  const name = model.name;
  const source = checkSource(name, 'fitDataset', 'dataset', dataset);
  const epochs = args.epochs ?? 1;
  const initialEpoch = args.initialEpoch ?? 0;
  const verbose = args.verbose ?? 1;
  checkOptionalInt(name, 'fitDataset', 'epochs', epochs, 1);
  checkOptionalInt(name, 'fitDataset', 'initialEpoch', initialEpoch, 0);
  checkOptionalInt(name, 'fitDataset', 'batchesPerEpoch', args.batchesPerEpoch, 1);
  checkOptionalInt(name, 'fitDataset', 'validationBatches', args.validationBatches, 1);
  checkOptionalInt(name, 'fitDataset', 'validationBatchSize', args.validationBatchSize, 1);
  const val = args.validationData;
  if (val !== undefined && val !== null && !Array.isArray(val)) checkSource(name, 'fitDataset', 'validationData', val);
  if (Array.isArray(val) && (val.length !== 2 || !(val[0] instanceof Tensor) || !(val[1] instanceof Tensor))) {
    throw new ValueError(`${name}.fitDataset: tensor 'validationData' must be [x, y]`);
  }

  const history = new History();
  const user = args.callbacks === undefined || args.callbacks === null ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
  const list = new CallbackList([...(verbose > 0 ? [new ProgressLogger({ verbose })] : []), ...createRegisteredCallbacks(verbose), ...user, history]);
  const keys = steps.keys;
  const size = (dataset as { size?: number | null }).size;
  const params: TrainParams = {
    epochs,
    initialEpoch,
    steps: args.batchesPerEpoch ?? (typeof size === 'number' && Number.isFinite(size) ? size : 0),
    samples: 0,
    batchSize: 0,
    verbose,
    metrics: val ? [...keys, ...keys.map((k) => `val_${k}`)] : keys,
  };
  list.setModel(model);
  list.setParams(params);
  // With only lag-tolerant batch hooks, batch k's values are read while batch k+1 computes.
  const depth = list.needsStrictBatches ? 1 : 2;
  const perEpoch = args.batchesPerEpoch;
  let it = perEpoch !== undefined ? await source.iterator() : null;
  model.stopTraining = false;
  await list.trainBegin();
  try {
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await list.epochBegin(epoch);
      if (perEpoch === undefined) it = await source.iterator();
      const acc = steps.accumulator();
      const pending: { batch: number; size: number; values: Promise<V> }[] = [];
      const settle = async (): Promise<void> => {
        const p = pending.shift()!;
        const values = await p.values;
        acc.add(values, p.size);
        const single = steps.accumulator();
        single.add(values, p.size);
        await list.batchEnd(p.batch, { batch: p.batch, size: p.size, ...single.logs() });
      };
      let batch = 0;
      let next = it!.next();
      let ranOut = false;
      while (perEpoch === undefined || batch < perEpoch) {
        const r = await next;
        if (r.done) {
          ranOut = perEpoch !== undefined;
          break;
        }
        const el = splitElement(name, r.value, steps.device);
        await list.batchBegin(batch, { batch, size: el.size });
        let values: Promise<V>;
        try {
          values = steps.train(el.xs, el.ys);
        } finally {
          dispose([el.xs, el.ys, r.value]);
        }
        values.catch(() => undefined); // rethrown when settled, in order
        pending.push({ batch, size: el.size, values });
        batch++;
        // Ask for the next batch now: the pipeline builds it while this step runs on the device.
        next = perEpoch === undefined || batch < perEpoch ? it!.next() : Promise.resolve({ done: true, value: undefined });
        while (pending.length >= depth) await settle();
        if (model.stopTraining) break;
      }
      while (pending.length > 0) await settle();
      if (ranOut) {
        console.warn(
          `${name}.fitDataset: batchesPerEpoch is ${perEpoch} but the dataset ran out after ${batch} batches in epoch ${epoch}; ` +
            'stopping (give a dataset with enough batches, e.g. dataset.repeat())',
        );
        model.stopTraining = true;
      }
      if (batch === 0 && !ranOut) throw new ValueError(`${name}.fitDataset: the dataset produced no batches`);
      const logs = acc.logs();
      if (val) {
        const vlogs = Array.isArray(val)
          ? await steps.evaluateTensors(val[0], val[1], args.validationBatchSize ?? 32)
          : await evaluateLogs(name, steps, val, args.validationBatches);
        for (const [k, v] of Object.entries(vlogs)) logs[`val_${k}`] = v;
      }
      await list.epochEnd(epoch, logs);
    }
  } finally {
    await it?.return?.();
  }
  await list.trainEnd();
  return history;
}

async function evaluateLogs<V>(name: string, steps: DatasetSteps<V>, dataset: unknown, batches?: number): Promise<Logs> {
  const source = checkSource(name, 'evaluateDataset', 'dataset', dataset);
  checkOptionalInt(name, 'evaluateDataset', 'batches', batches, 1);
  const it = await source.iterator();
  const acc = steps.accumulator();
  const pending: { size: number; values: Promise<V> }[] = [];
  let n = 0;
  try {
    let next = it.next();
    while (batches === undefined || n < batches) {
      const r = await next;
      if (r.done) break;
      const el = splitElement(name, r.value, steps.device);
      let values: Promise<V>;
      try {
        values = steps.evaluate(el.xs, el.ys);
      } finally {
        dispose([el.xs, el.ys, r.value]);
      }
      values.catch(() => undefined);
      pending.push({ size: el.size, values });
      n++;
      next = batches === undefined || n < batches ? it.next() : Promise.resolve({ done: true, value: undefined });
      if (pending.length >= 2) {
        const p = pending.shift()!;
        acc.add(await p.values, p.size);
      }
    }
    for (const p of pending) acc.add(await p.values, p.size);
  } finally {
    await it.return?.();
  }
  if (n === 0) throw new ValueError(`${name}.evaluateDataset: the dataset produced no batches`);
  return acc.logs();
}

/** tfjs' model.evaluateDataset: a scalar tensor when the model logs one value, else one per key. */
export async function evaluateDataset<V>(model: { name: string }, steps: DatasetSteps<V>, dataset: unknown, args: ModelEvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
  const logs = await evaluateLogs(model.name, steps, dataset, args.batches);
  const out = steps.keys.map((k) => tensor([logs[k]], [], { device: steps.device }));
  return out.length === 1 ? out[0] : out;
}
