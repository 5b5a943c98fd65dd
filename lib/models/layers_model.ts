// LayersModel: the one model class (tfjs' LayersModel / tf.model): a graph of layers that trains with compile / fit /
// evaluate / predict / trainOnBatch, with several inputs and outputs. Sequential is a builder on top of it.
import { ValueError } from '../errors';
import { getDefaultDevice } from '../device';
import { inGradientScope, noGrad } from '../autograd/tape';
import { dispose, tidy } from '../memory';
import { add, concat, div, mul, slice, softmax, tensor, toDevice } from '../ops';
import { nextSeed } from '../random';
import { permutation } from '../data/prng';
import type { Tensor } from '../tensor';
import type { Layer, LayerVariable, Shape } from '../nn/layers/layer';
import type { SymbolicTensor } from '../nn/layers/symbolic';
import { weightedMean } from '../nn/losses';
import { resultOnDevice } from '../nn/metrics';
import { getOptimizer, type Optimizer } from '../optim';
import { CallbackList, type CallbackHooks, type TrainParams } from '../callbacks/callback';
import { History } from '../callbacks/history';
import { createRegisteredCallbacks } from '../callbacks/registry';
import { ProgressLogger } from '../callbacks/progress';
import type { Logs } from '../callbacks/types';
import { Container, type ContainerArgs } from './container';
import { compileOutputs, type CompiledOutputs, type ModelCompileArgs } from './compile';
import { Accumulator, checkInt, quiet, readStats, type BatchTensors, type BatchValues } from './batch_stats';
import { classWeightsToSample, gatherBatch, gatherWeights, range, toHost, type HostData } from './host_data';
import { sampleCount, tensorList, type TensorArgs } from './model_data';
import { formatSummary } from './summary';
import { evaluateDataset, fitDataset, type DatasetSteps, type ModelEvaluateDatasetArgs, type ModelFitDatasetArgs } from './fit_dataset';
import type { SaveModelOptions } from '../io/model_files';

export interface ModelFitArgs {
  epochs?: number;
  batchSize?: number;
  /** Reshuffle the training rows every epoch (default true), seeded from the global seed. */
  shuffle?: boolean;
  /** Fraction of the rows, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** [x, y] for validation; x and y as fit() takes them (a tensor, a list or a dict). */
  validationData?: [TensorArgs, TensorArgs];
  /** Class index -> weight of its samples in the loss (single-output models). */
  classWeight?: Record<number, number>;
  initialEpoch?: number;
  /** One callback, a list, or null (tfjs). */
  callbacks?: CallbackHooks | CallbackHooks[] | null;
  /** 0 silent, 1 progress bar on a TTY (a line per epoch otherwise), 2 a line per epoch. Default 1. */
  verbose?: number;
}

export interface ModelEvaluateArgs {
  batchSize?: number;
}

let modelCount = 0;

/** Keras-style default model names: model, model_1, ... (and sequential, sequential_1, ...). */
export function defaultModelName(prefix: string): string {
  const n = modelCount++;
  return n === 0 ? prefix : `${prefix}_${n}`;
}

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

export class LayersModel extends Container {
  optimizer: Optimizer | null = null;
  /** Set to true (e.g. from a callback) to end fit() after the current batch. */
  stopTraining = false;
  private compiled: CompiledOutputs | null = null;
  private isTraining = false;

  constructor(args: Partial<ContainerArgs> & { className?: string } = {}) {
    super(args.name ?? defaultModelName('model'), args.className ?? 'Model', getDefaultDevice());
    if (args.inputs !== undefined || args.outputs !== undefined) this.initGraph(asList(args.inputs ?? []), asList(args.outputs ?? []));
  }

  /** @internal Makes sure the graph exists before data flows (Sequential builds it from the first input's shape). */
  protected prepare(_x: TensorArgs): void {
    if (this.outputs.length === 0) throw new ValueError(`${this.name}: the model has no layers`);
  }

  /** Runs the model on `x` with autograd (a model is a layer too). Inference mode unless {training: true}. */
  override apply(x: Tensor, args?: { training?: boolean }): Tensor;
  override apply(x: SymbolicTensor, args?: { training?: boolean }): SymbolicTensor;
  override apply(x: Tensor[], args?: { training?: boolean }): Tensor | Tensor[];
  override apply(x: SymbolicTensor[], args?: { training?: boolean }): SymbolicTensor | SymbolicTensor[];
  override apply(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args?: { training?: boolean }): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  override apply(x: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: { training?: boolean } = {}): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    if (!Array.isArray(x) || x.length > 0) this.prepare(x as TensorArgs);
    return super.apply(x, args);
  }

  /** The trainable weight tensors. */
  override parameters(): Tensor[] {
    return this.trainableWeights.map((v) => v.value);
  }

  compile(args: ModelCompileArgs): void {
    if (!args || args.loss === undefined || args.optimizer === undefined) throw new ValueError(`${this.name}.compile: 'optimizer' and 'loss' are required`);
    // Checked now against the outputs (or one output, for a Sequential that does not know its shapes yet).
    const compiled = compileOutputs(`${this.name}.compile`, args, this.outputs.length > 0 ? this.outputNames : ['output']);
    this.optimizer = getOptimizer(args.optimizer);
    this.pendingCompile = args;
    this.compiled = this.outputs.length > 0 ? compiled : null;
    this.compileConfig = { optimizer: this.optimizer.toJSON(), ...compiled.config };
    this.collectedTrainable = this.outputs.length > 0 ? [...this.trainableWeights] : null;
  }

  /** @internal The graph changed (Sequential.add): per-output settings are resolved again on next use. */
  protected graphChanged(): void {
    this.compiled = null;
    this.collectedTrainable = null;
  }
  /**
   * The weights compile() found trainable (tfjs's collectedTrainableWeights). A step trains those of them that are
   * still trainable, as tfjs 4 does (freezing a layer after compile takes effect). When none is left, tfjs 4
   * throws; here, as in Keras and earlier tfjs, the step trains all of them: the classic GAN compiles the
   * discriminator, freezes it whole inside the combined model, and still trains it through its own trainOnBatch.
   */
  private collectedTrainable: LayerVariable[] | null = null;
  /** compile() settings waiting for the graph (a Sequential compiled before it knows its input shape). */
  private pendingCompile: ModelCompileArgs | null = null;
  /** @internal What model.json keeps of compile(). */
  compileConfig: Record<string, unknown> | null = null;

  /** The names of the logged values in order: losses, then metrics (tfjs metricsNames). */
  get metricsNames(): string[] {
    if (!this.pendingCompile) return [];
    const c = this.requireCompiled('metricsNames');
    return [...c.lossKeys, ...c.metrics.map((m) => m.key)];
  }

  private requireCompiled(what: string): CompiledOutputs {
    if (!this.optimizer || !this.pendingCompile) throw new ValueError(`${this.name}.${what}: call compile() first`);
    // A Sequential that has not seen its input shape yet has one output, still unnamed.
    if (this.outputs.length === 0) return compileOutputs(`${this.name}.compile`, this.pendingCompile, ['output']);
    if (!this.compiled) this.compiled = compileOutputs(`${this.name}.compile`, this.pendingCompile, this.outputNames);
    return this.compiled;
  }

  /**
   * Per output: whether its final softmax is fused into the cross-entropy (the native op is stable, no log(0)).
   * Only when the output's layer ends in softmax and nothing else in the model reads that output.
   */
  private fusedOutputs(c: CompiledOutputs): boolean[] {
    return this.outputs.map((o, i) => {
      const l = c.losses[i];
      const ce = l.name === 'categoricalCrossentropy' || l.name === 'sparseCategoricalCrossentropy';
      if (!ce || l.fromLogits || o.sourceLayer.activationName !== 'softmax' || o.node.outputs.length !== 1) return false;
      return !this.graphNodes.some((n) => n.inputs.includes(o));
    });
  }

  /** Forward pass, losses (+ regularization) and metric statistics for one batch. */
  private batchLossAndStats(xs: Tensor[], ys: Tensor[], w: Tensor | null, training: boolean): BatchTensors {
    const c = this.requireCompiled(training ? 'fit' : 'evaluate');
    const fused = this.fusedOutputs(c);
    const logitsOutputs = new Set(this.outputs.filter((_, i) => fused[i]).map((o) => o.id));
    const outs = this.execute(xs, { training, logitsOutputs });
    const perOutput = outs.map((out, i) => {
      const loss = c.losses[i];
      if (loss.perSample) return weightedMean(loss.perSample(ys[i], out, { fromLogits: fused[i] || loss.fromLogits }), w);
      if (w) throw new ValueError(`${this.name}: classWeight needs a built-in loss (per-sample values); got a custom loss function`);
      return loss.scalar!(ys[i], out);
    });
    let total = perOutput.map((l, i) => (c.lossWeights[i] === 1 ? l : mul(l, c.lossWeights[i]))).reduce((a, b) => add(a, b));
    for (const r of this.regularizationLosses()) total = add(total, r);
    const stats = noGrad(() => c.metrics.map((m) => m.spec.stats(ys[m.output], fused[m.output] ? softmax(outs[m.output], -1) : outs[m.output])));
    return { losses: [total, ...(outs.length > 1 ? perOutput : [])], stats };
  }

  /** One optimizer step on a batch; returns the loss and metric-statistics tensors (kept for reading back). */
  private trainStep(xs: Tensor[], ys: Tensor[], w: Tensor | null): BatchTensors {
    const optimizer = this.optimizer!;
    const collectedAll = (this.collectedTrainable ??= [...this.trainableWeights]);
    const stillTrainable = collectedAll.filter((v) => v.trainable);
    const vars = stillTrainable.length > 0 ? stillTrainable : collectedAll;
    // For this step exactly these weights record gradients (see collectedTrainable), then each weight's
    // requiresGrad follows its `trainable` again.
    const all = this.weights;
    const collected = new Set(vars);
    for (const v of all) v.value.requiresGrad = collected.has(v);
    try {
      optimizer.zeroGrad(vars);
      const result = tidy(() => {
        const r = this.batchLossAndStats(xs, ys, w, true);
        if (r.losses[0].requiresGrad) r.losses[0].backward(); // nothing trainable: the step computes the loss only
        optimizer.step(vars);
        for (const v of vars) v.applyConstraint(); // kernelConstraint etc., after each step (Keras; tfjs' LayerVariable.write)
        return { losses: r.losses.map((l) => l.detach()), stats: r.stats };
      });
      optimizer.zeroGrad(vars);
      return result;
    } finally {
      for (const v of all) v.syncGrad();
    }
  }

  /** Trains on one batch; resolves to the loss, or [loss, ...output losses, ...metrics] when there are several values. */
  async trainOnBatch(x: TensorArgs, y: TensorArgs): Promise<number | number[]> {
    this.prepare(x);
    const c = this.requireCompiled('trainOnBatch');
    const xs = tensorList('trainOnBatch: x', x, this.inputNames);
    const ys = tensorList('trainOnBatch: y', y, this.outputNames);
    const n = sampleCount('trainOnBatch', [{ label: 'x', tensors: xs }, { label: 'y', tensors: ys }]);
    const values = await readStats(this.trainStep(xs, ys, null));
    const acc = new Accumulator(c.lossKeys, c.metrics);
    acc.add(values, n);
    const v = acc.values();
    return v.length === 1 ? v[0] : v;
  }

  /**
   * Trains for `epochs` over (x, y), awaiting the device asynchronously (the event loop stays free); resolves to the
   * History of per-epoch logs. x and y: a tensor, a list in input/output order, or a dict keyed by layer name.
   */
  async fit(x: TensorArgs, y: TensorArgs, args: ModelFitArgs = {}): Promise<History> {
    this.prepare(x);
    const c = this.requireCompiled('fit');
    if (this.isTraining) throw new ValueError(`${this.name}.fit: already training (await the running fit first)`);
    const epochs = args.epochs ?? 1;
    const batchSize = args.batchSize ?? 32;
    const initialEpoch = args.initialEpoch ?? 0;
    const verbose = args.verbose ?? 1;
    checkInt('fit', 'epochs', epochs, 0);
    checkInt('fit', 'batchSize', batchSize, 1);
    checkInt('fit', 'initialEpoch', initialEpoch, 0);
    const split = args.validationSplit ?? 0;
    if (!(split >= 0 && split < 1)) throw new ValueError(`${this.name}.fit: 'validationSplit' must be in [0, 1), got ${split}`);
    const xs = tensorList('fit: x', x, this.inputNames);
    const ys = tensorList('fit: y', y, this.outputNames);
    sampleCount(`${this.name}.fit`, [{ label: 'x', tensors: xs }, { label: 'y', tensors: ys }]);
    if (args.classWeight && ys.length !== 1) throw new ValueError(`${this.name}.fit: classWeight needs a model with one output (this one has ${ys.length})`);

    this.isTraining = true;
    try {
      const [hx, hy] = await Promise.all([Promise.all(xs.map((t, i) => toHost(t, `fit: x[${i}]`))), Promise.all(ys.map((t, i) => toHost(t, `fit: y[${i}]`)))]);
      const weights = args.classWeight ? classWeightsToSample(hy[0], args.classWeight) : null;
      const n = hx[0].shape[0];
      const nTrain = split > 0 ? Math.floor(n * (1 - split)) : n;
      if (nTrain === 0) throw new ValueError(`${this.name}.fit: no training samples left after validationSplit ${split}`);
      const train: HostData = { x: hx, y: hy, w: weights, rows: range(0, nTrain) };
      let val: HostData | null = null;
      if (args.validationData) {
        if (!Array.isArray(args.validationData) || args.validationData.length < 2) throw new ValueError(`${this.name}.fit: 'validationData' must be [x, y]`);
        const vxs = tensorList('fit: validationData[0]', args.validationData[0], this.inputNames);
        const vys = tensorList('fit: validationData[1]', args.validationData[1], this.outputNames);
        const nv = sampleCount(`${this.name}.fit: validationData`, [{ label: 'x', tensors: vxs }, { label: 'y', tensors: vys }]);
        const [hvx, hvy] = await Promise.all([Promise.all(vxs.map((t) => toHost(t, 'fit: validationData[0]'))), Promise.all(vys.map((t) => toHost(t, 'fit: validationData[1]')))]);
        val = { x: hvx, y: hvy, w: null, rows: range(0, nv) };
      } else if (split > 0) {
        val = { x: hx, y: hy, w: null, rows: range(nTrain, n) };
      }

      const history = new History();
      const user = args.callbacks === undefined || args.callbacks === null ? [] : asList(args.callbacks);
      const list = new CallbackList([...(verbose > 0 ? [new ProgressLogger({ verbose })] : []), ...createRegisteredCallbacks(verbose), ...user, history]);
      const keys = this.metricsNames;
      const params: TrainParams = {
        epochs,
        initialEpoch,
        steps: Math.ceil(nTrain / batchSize),
        samples: nTrain,
        batchSize,
        verbose,
        metrics: val ? [...keys, ...keys.map((k) => `val_${k}`)] : keys,
      };
      list.setModel(this);
      list.setParams(params);
      // With only lag-tolerant batch hooks, batch k's loss is read while batch k+1 computes.
      const depth = list.needsStrictBatches ? 1 : 2;
      this.stopTraining = false;
      await list.trainBegin();
      for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        await list.epochBegin(epoch);
        const order = args.shuffle === false ? train.rows : permutation(nTrain, nextSeed() % 2 ** 32);
        const logs = await this.runEpoch(c, train, order, batchSize, list, depth);
        if (val) {
          const vlogs = await this.evaluateHost(c, val, batchSize);
          for (const [k, v] of Object.entries(vlogs)) logs[`val_${k}`] = v;
        }
        await list.epochEnd(epoch, logs);
      }
      await list.trainEnd();
      return history;
    } finally {
      this.isTraining = false;
    }
  }

  private gather(data: HostData, idx: Int32Array): { xs: Tensor[]; ys: Tensor[]; w: Tensor | null } {
    return {
      xs: data.x.map((a) => gatherBatch(a, idx, this.deviceName)),
      ys: data.y.map((a) => gatherBatch(a, idx, this.deviceName)),
      w: data.w ? gatherWeights(data.w, idx, this.deviceName) : null,
    };
  }

  private async runEpoch(c: CompiledOutputs, data: HostData, order: Int32Array, batchSize: number, list: CallbackList, depth: number): Promise<Logs> {
    const acc = new Accumulator(c.lossKeys, c.metrics);
    const pending: { batch: number; size: number; values: Promise<BatchValues> }[] = [];
    const settle = async (): Promise<void> => {
      const p = pending.shift()!;
      const values = await p.values;
      acc.add(values, p.size);
      const single = new Accumulator(c.lossKeys, c.metrics);
      single.add(values, p.size);
      await list.batchEnd(p.batch, { batch: p.batch, size: p.size, ...single.logs() });
    };
    const steps = Math.ceil(order.length / batchSize);
    for (let b = 0; b < steps && !this.stopTraining; b++) {
      const idx = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
      const size = idx.length;
      await list.batchBegin(b, { batch: b, size });
      const batch = this.gather(data, idx);
      let step: BatchTensors;
      try {
        step = this.trainStep(batch.xs, batch.ys, batch.w);
      } finally {
        dispose(batch);
      }
      pending.push({ batch: b, size, values: quiet(readStats(step)) });
      while (pending.length >= depth) await settle();
    }
    while (pending.length > 0) await settle();
    return acc.logs();
  }

  private async evaluateHost(c: CompiledOutputs, data: HostData, batchSize: number): Promise<Logs> {
    const acc = new Accumulator(c.lossKeys, c.metrics);
    const pending: { size: number; values: Promise<BatchValues> }[] = [];
    for (let start = 0; start < data.rows.length; start += batchSize) {
      const idx = data.rows.subarray(start, Math.min(data.rows.length, start + batchSize));
      const batch = this.gather(data, idx);
      try {
        const r = noGrad(() => tidy(() => this.batchLossAndStats(batch.xs, batch.ys, null, false)));
        pending.push({ size: idx.length, values: quiet(readStats(r)) });
      } finally {
        dispose(batch);
      }
      if (pending.length >= 2) {
        const p = pending.shift()!;
        acc.add(await p.values, p.size);
      }
    }
    for (const p of pending) acc.add(await p.values, p.size);
    return acc.logs();
  }

  /** @internal The per-batch steps fitDataset / evaluateDataset drive (this model's own training step). */
  private datasetSteps(what: string): DatasetSteps<BatchValues> {
    const c = this.requireCompiled(what);
    const onDevice = (t: Tensor): Tensor => (t.device === this.deviceName ? t : t.to(this.deviceName));
    const run = (xs: unknown, ys: unknown, fn: (x: Tensor[], y: Tensor[]) => BatchTensors): Promise<BatchValues> => {
      this.prepare(xs as TensorArgs);
      const given = [...tensorList(`${this.name}.${what}: xs`, xs as TensorArgs, this.inputNames), ...tensorList(`${this.name}.${what}: ys`, ys as TensorArgs, this.outputNames)];
      const moved = given.map(onDevice);
      try {
        return quiet(readStats(fn(moved.slice(0, this.inputs.length), moved.slice(this.inputs.length))));
      } finally {
        moved.forEach((t, i) => t !== given[i] && t.dispose());
      }
    };
    return {
      keys: this.metricsNames,
      device: this.deviceName,
      train: (xs, ys) => run(xs, ys, (x, y) => this.trainStep(x, y, null)),
      evaluate: (xs, ys) => run(xs, ys, (x, y) => noGrad(() => tidy(() => this.batchLossAndStats(x, y, null, false)))),
      accumulator: () => new Accumulator(c.lossKeys, c.metrics),
      evaluateTensors: async (x, y, batchSize) => {
        const xs = tensorList(`${what}: validationData[0]`, x as TensorArgs, this.inputNames);
        const ys = tensorList(`${what}: validationData[1]`, y as TensorArgs, this.outputNames);
        const n = sampleCount(`${this.name}.${what}: validationData`, [{ label: 'x', tensors: xs }, { label: 'y', tensors: ys }]);
        const [hx, hy] = await Promise.all([Promise.all(xs.map((t) => toHost(t, `${what}: validationData[0]`))), Promise.all(ys.map((t) => toHost(t, `${what}: validationData[1]`)))]);
        return this.evaluateHost(c, { x: hx, y: hy, w: null, rows: range(0, n) }, batchSize);
      },
    };
  }

  /**
   * Trains on the batches of a tf.data Dataset whose elements are {xs, ys} (or [xs, ys]), as tfjs' fitDataset:
   * `batchesPerEpoch`, `validationData` (a dataset or [x, y] tensors), callbacks. Resolves to the History.
   */
  async fitDataset(dataset: unknown, args: ModelFitDatasetArgs = {}): Promise<History> {
    const steps = this.datasetSteps('fitDataset');
    if (this.isTraining) throw new ValueError(`${this.name}.fitDataset: already training (await the running fit first)`);
    this.isTraining = true;
    try {
      return await fitDataset(this, steps, dataset, args);
    } finally {
      this.isTraining = false;
    }
  }

  /** Loss and metrics over a dataset's batches (tfjs' evaluateDataset): a scalar tensor, or one per value. */
  async evaluateDataset(dataset: unknown, args: ModelEvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
    return evaluateDataset(this, this.datasetSteps('evaluateDataset'), dataset, args);
  }

  /** Rows [start, start + size) of `t` on the model's device (the tensor itself when that is all of it). */
  private rows(t: Tensor, start: number, size: number): Tensor {
    const onDevice = t.device === this.deviceName ? t : toDevice(t, this.deviceName);
    if (start === 0 && size === t.shape[0]) return onDevice;
    return slice(onDevice, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)]);
  }

  /**
   * Loss and metrics over (x, y) in inference mode, as tfjs: a scalar tensor when the model logs one value, else a
   * list [loss, ...output losses, ...metrics] in `metricsNames` order. Returns at once: the batches are queued on
   * the device and `await s.data()` waits for the result (the event loop stays free).
   */
  evaluate(x: TensorArgs, y: TensorArgs, args: ModelEvaluateArgs = {}): Tensor | Tensor[] {
    this.prepare(x);
    const c = this.requireCompiled('evaluate');
    const batchSize = args.batchSize ?? 32;
    checkInt('evaluate', 'batchSize', batchSize, 1);
    const xs = tensorList('evaluate: x', x, this.inputNames);
    const ys = tensorList('evaluate: y', y, this.outputNames);
    const n = sampleCount(`${this.name}.evaluate`, [{ label: 'x', tensors: xs }, { label: 'y', tensors: ys }]);
    if (n === 0) throw new ValueError(`${this.name}.evaluate: no samples`);
    return noGrad((): Tensor | Tensor[] => {
      let sums: BatchTensors | null = null;
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const prev: BatchTensors | null = sums;
        sums = tidy((): BatchTensors => {
          const r = this.batchLossAndStats(
            xs.map((t) => this.rows(t, start, size)),
            ys.map((t) => this.rows(t, start, size)),
            null,
            false,
          );
          const plus = (a: Tensor | number | undefined, b: Tensor | number): Tensor | number =>
            a === undefined ? b : typeof a === 'number' && typeof b === 'number' ? a + b : add(a as Tensor, b as Tensor);
          return {
            losses: r.losses.map((l, i) => plus(prev?.losses[i], mul(l, size)) as Tensor),
            stats: r.stats.map((parts, i) => parts.map((p, j) => plus(prev?.stats[i][j], p))),
          };
        });
        if (prev) dispose(prev);
      }
      const total = sums!;
      const out = tidy(() => [
        ...total.losses.map((s) => div(s, n)),
        ...c.metrics.map((m, i) => resultOnDevice(m.spec, total.stats[i], this.deviceName)),
      ]);
      dispose(total);
      return out.length === 1 ? out[0] : out;
    });
  }

  /** The inputs as a list in model order, each on the model's device, with one common batch size. */
  private predictInputs(what: string, x: TensorArgs, batchSize: number): { xs: Tensor[]; n: number } {
    checkInt(what, 'batchSize', batchSize, 1);
    this.prepare(x);
    const xs = tensorList(`${what}: x`, x, this.inputNames);
    return { xs, n: sampleCount(`${this.name}.${what}`, [{ label: 'x', tensors: xs }]) };
  }

  /**
   * Outputs for `x` in inference mode, in batches of `batchSize` (default 32): one tensor, or a list for several
   * outputs. Returns at once: the work is queued on the device and `await y.data()` waits for it (as tfjs' predict).
   */
  predict(x: TensorArgs, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const batchSize = args.batchSize ?? 32;
    const { xs, n } = this.predictInputs('predict', x, batchSize);
    // Inside grad/variableGrads/minimize the outputs must carry gradients (tfjs's predict records there too).
    const run = inGradientScope() ? <T>(f: () => T): T => f() : noGrad;
    const outs = run((): Tensor[] =>
      tidy((): Tensor[] => {
        if (n <= batchSize) return this.execute(xs.map((t) => this.rows(t, 0, n)));
        const parts: Tensor[][] = [];
        for (let s = 0; s < n; s += batchSize) parts.push(this.execute(xs.map((t) => this.rows(t, s, Math.min(batchSize, n - s)))));
        return this.outputs.map((_, i) => concat(parts.map((p) => p[i]), 0));
      }),
    );
    return outs.length === 1 ? outs[0] : outs;
  }

  /** predict() that reads each batch back before queueing the next, so device memory stays flat on huge inputs. */
  async predictAsync(x: TensorArgs, args: { batchSize?: number } = {}): Promise<Tensor | Tensor[]> {
    const batchSize = args.batchSize ?? 32;
    const { xs } = this.predictInputs('predictAsync', x, batchSize);
    const hx = await Promise.all(xs.map((t) => toHost(t, 'predictAsync: x')));
    const n = hx[0].shape[0];
    const chunks: { data: ArrayLike<number>; shape: readonly number[] }[][] = this.outputs.map(() => []);
    for (let s = 0; s < n; s += batchSize) {
      const idx = range(s, Math.min(n, s + batchSize));
      const xb = hx.map((a) => gatherBatch(a, idx, this.deviceName));
      const yb: Tensor[] = noGrad(() => tidy(() => this.execute(xb)));
      dispose(xb);
      const values = await Promise.all(yb.map((t) => t.data()));
      yb.forEach((t, i) => chunks[i].push({ data: values[i], shape: t.shape }));
      dispose(yb);
    }
    const outs = chunks.map((cs) => {
      const row = cs[0]?.shape.slice(1) ?? [];
      const out = new Float32Array(n * row.reduce((a, b) => a * b, 1));
      let off = 0;
      for (const ch of cs) {
        out.set(ch.data, off);
        off += ch.data.length;
      }
      return tensor(out, [n, ...row], { device: this.deviceName });
    });
    return outs.length === 1 ? outs[0] : outs;
  }

  /** A table of layers with output shapes and parameter counts (printed with printFn, default console.log). */
  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): string {
    this.prepare([]);
    const text = formatSummary(this, lineLength, positions);
    for (const line of text.split('\n')) printFn(line);
    return text;
  }

  /** @internal Per layer of `layers`, the output shape of its (first) call in this model. */
  layerOutputShapes(): Shape[] {
    return this.layers.map((l) => {
      const node = l.inboundNodes.find((n) => this.graphNodes.includes(n)) ?? l.inboundNodes[0];
      return node.outputs[0].shape;
    });
  }

  /** @internal For summary(): the layers that feed `layer` in this model. */
  inboundLayerNames(layer: Layer): string[] {
    return this.graphNodes.filter((n) => n.layer === layer).flatMap((n) => n.inputs.map((t) => t.sourceLayer.name));
  }

  /** The architecture (and the compile settings, when compiled) as JSON: what model.json stores. */
  override toJSON(): { className: string; config: Record<string, unknown>; compileConfig: Record<string, unknown> | null } {
    return { className: this.className, config: this.getConfig(), compileConfig: this.compileConfig };
  }

  /**
   * Saves the model into directory `dir`: model.json (architecture, training config), weights.safetensors and, unless
   * {includeOptimizer: false}, optimizer.safetensors; atomically. Reload with loadModel(dir). See lib/io/model_files.ts.
   * 'file://dir' writes tfjs' layers-model format instead (model.json + weights.bin, as tfjs-node), which
   * tf.loadLayersModel reads here and in tfjs.
   */
  async save(dir: string | SaveHandler, opts: SaveModelOptions = {}): Promise<void | SaveResult> {
    // Loaded on use: the model files build models from their configs, so they import this module.
    if (typeof dir === 'object' && dir !== null && typeof (dir as SaveHandler).save === 'function') {
      // A tf.io handler (withSaveHandler, fileSystem, ...): it gets the tfjs layers-model artifacts.
      const { layersModelArtifacts } = await import('../io/tfjs_layers/save');
      return (dir as SaveHandler).save(await layersModelArtifacts(this, `${this.name}.save`, opts));
    }
    if (typeof dir === 'string') {
      // tfjs: the registered save routers pick the handler (file:// and http(s):// built in, others by
      // tf.io.registerSaveRouter). A path with no scheme that no router takes saves tensornode's own format.
      const { getSaveHandlers } = await import('../io/tfjs_io');
      const handlers = getSaveHandlers(dir) as SaveHandler[];
      if (handlers.length > 1) throw new ValueError(`${this.name}.save: found ${handlers.length} save handlers for URL '${dir}'`);
      if (handlers.length === 1) {
        if (typeof handlers[0]?.save !== 'function') throw new ValueError(`${this.name}.save: the handler routed for '${dir}' has no save method`);
        const { layersModelArtifacts } = await import('../io/tfjs_layers/save');
        return handlers[0].save(await layersModelArtifacts(this, `${this.name}.save`, opts));
      }
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dir)) throw new ValueError(`${this.name}.save: no save handler for URL '${dir}' (register one with tf.io.registerSaveRouter)`);
    }
    const { saveModel } = await import('../io/model_files');
    return saveModel(this, dir as string, opts);
  }

  /** Frees the weights and the optimizer state. */
  override dispose(): void {
    super.dispose();
    this.optimizer?.dispose();
  }
}

/** A tf.io handler model.save writes to (tf.io.withSaveHandler, tf.io.fileSystem); see lib/io/tfjs_io. */
interface SaveHandler {
  save(artifacts: import('../io/tfjs_io').ModelArtifacts): Promise<SaveResult> | SaveResult;
}
type SaveResult = import('../io/tfjs_io').SaveResult;

/** tfjs' tf.model({inputs, outputs, name}): a functional model over the graph between them. */
export function model(args: ContainerArgs): LayersModel {
  if (!args || args.inputs === undefined || args.outputs === undefined) throw new ValueError(`model: 'inputs' and 'outputs' are required`);
  return new LayersModel(args);
}
