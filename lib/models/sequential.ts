// Sequential: a stack of layers with Keras' compile / fit / evaluate / predict / trainOnBatch / summary API.
import { ValueError } from '../errors';
import { getDefaultDevice, normalizeDevice, type Device } from '../device';
import { noGrad } from '../autograd/tape';
import { dispose, tidy } from '../memory';
import { add, concat, slice, softmax, tensor } from '../ops';
import { nextSeed } from '../random';
import { permutation } from '../data/prng';
import type { Tensor } from '../tensor';
import { Layer, LayerVariable, type Shape } from '../nn/layers/layer';
import { deserializeLayer } from '../nn/layers/registry';
import { canonicalLossName, isLossName, losses, perSampleLosses, weightedMean, type LossName } from '../nn/losses';
import { getMetric, type MetricIdentifier, type MetricSpec } from '../nn/metrics';
import { getOptimizer, type Optimizer } from '../optim';
import { CallbackList, type CallbackHooks, type TrainParams } from '../callbacks/callback';
import { History } from '../callbacks/history';
import { ProgressLogger } from '../callbacks/progress';
import type { Logs } from '../callbacks/types';
import { classWeightsToSample, gatherBatch, gatherWeights, range, toHost, type HostArray, type HostData } from './host_data';
import { formatSummary } from './summary';
import { evaluateDataset, fitDataset, type DatasetSteps, type ModelEvaluateDatasetArgs, type ModelFitDatasetArgs } from './fit_dataset';
// model_files imports this module too; the cycle is safe because each side uses the other only inside functions.
import { saveModel, type SaveModelOptions } from '../io/model_files';

export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;
export type LossIdentifier = LossName | string | LossFunction | { name: LossName; fromLogits?: boolean };

export interface ModelCompileArgs {
  optimizer: string | Optimizer | { className: string; config: Record<string, unknown> };
  loss: LossIdentifier;
  metrics?: MetricIdentifier | MetricIdentifier[];
}

export interface ModelFitArgs {
  epochs?: number;
  batchSize?: number;
  /** Reshuffle the training rows every epoch (default true), seeded from the global seed. */
  shuffle?: boolean;
  /** Fraction of the rows, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  validationData?: [Tensor, Tensor];
  /** Class index -> weight of its samples in the loss. */
  classWeight?: Record<number, number>;
  initialEpoch?: number;
  callbacks?: CallbackHooks | CallbackHooks[];
  /** 0 silent, 1 progress bar on a TTY (a line per epoch otherwise), 2 a line per epoch. Default 1. */
  verbose?: number;
}

export interface ModelEvaluateArgs {
  batchSize?: number;
}

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

interface CompiledLoss {
  name: LossName | null;
  fromLogits: boolean;
  /** Per-sample losses [N] (built-in losses) ... */
  perSample: ((yTrue: Tensor, yPred: Tensor, args: { fromLogits?: boolean }) => Tensor) | null;
  /** ... or a user function returning the batch's scalar loss. */
  scalar: LossFunction | null;
}

let modelCount = 0;

const lossFunctionNames = new Map<unknown, LossName>(Object.entries(losses).map(([k, f]) => [f, k as LossName]));

export class Sequential {
  readonly name: string;
  readonly layers: Layer[] = [];
  optimizer: Optimizer | null = null;
  /** Set to true (e.g. from a callback) to end fit() after the current batch. */
  stopTraining = false;
  private loss: CompiledLoss | null = null;
  private metricSpecs: MetricSpec[] = [];
  private compileConfig: Record<string, unknown> | null = null;
  private deviceName: Device;
  private isTraining = false;

  constructor(args: SequentialArgs = {}) {
    this.name = args.name ?? (modelCount++ === 0 ? 'sequential' : `sequential_${modelCount - 1}`);
    this.deviceName = getDefaultDevice();
    for (const l of args.layers ?? []) this.add(l);
  }

  /** The device the weights live on. */
  get device(): Device {
    return this.deviceName;
  }

  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new ValueError(`${this.name}.add: expected a layer, got ${typeof layer}`);
    this.layers.push(layer);
    // With a known input shape (Keras: the first layer's inputShape) weights exist from the start, as in tfjs.
    if (this.layers[0].batchInputShape) this.build();
  }

  /** Builds every layer for inputs of `inputShape` (batch dim included, null allowed); default: the first layer's. */
  build(inputShape?: Shape): void {
    let shape = inputShape ?? this.layers[0]?.batchInputShape ?? null;
    if (!shape) throw new ValueError(`${this.name}: cannot build without an input shape (give the first layer 'inputShape' or call fit/predict)`);
    shape = [null, ...shape.slice(1)];
    for (const layer of this.layers) {
      if (!layer.built) {
        layer.to(this.deviceName);
        layer.build(shape);
      }
      shape = layer.computeOutputShape(shape);
    }
  }

  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built);
  }

  private ensureBuilt(x: Tensor): void {
    if (this.layers.length === 0) throw new ValueError(`${this.name}: the model has no layers`);
    if (!this.built) this.build([null, ...x.shape.slice(1)]);
  }

  /** Runs the layers on `x` with autograd (a model is a module too). Inference mode unless {training: true}. */
  apply(x: Tensor, args: { training?: boolean; logits?: boolean } = {}): Tensor {
    this.ensureBuilt(x);
    let y = x;
    this.layers.forEach((layer, i) => {
      y = layer.apply(y, { training: args.training ?? false, logits: (args.logits ?? false) && i === this.layers.length - 1 });
    });
    return y;
  }

  /** Every weight of every layer, in order. */
  get weights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.weights);
  }
  get trainableWeights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }
  get nonTrainableWeights(): LayerVariable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }
  /** The trainable weight tensors. */
  parameters(): Tensor[] {
    return this.trainableWeights.map((v) => v.value);
  }
  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Copies of all weight values in `weights` order (the caller disposes them). */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Overwrites all weights (values copied), in `weights` order. */
  setWeights(values: Tensor[]): void {
    const n = this.weights.length;
    if (values.length !== n) throw new ValueError(`${this.name}.setWeights: the model has ${n} weights, got ${values.length}`);
    let k = 0;
    for (const l of this.layers) {
      const m = l.weights.length;
      l.setWeights(values.slice(k, k + m));
      k += m;
    }
  }

  /** Moves the weights (and later the optimizer state, on its next step) to `device`. */
  to(device: Device): this {
    this.deviceName = normalizeDevice(device, `${this.name}.to`);
    for (const l of this.layers) l.to(this.deviceName);
    return this;
  }

  compile(args: ModelCompileArgs): void {
    if (!args || args.loss === undefined || args.optimizer === undefined) throw new ValueError(`${this.name}.compile: 'optimizer' and 'loss' are required`);
    this.optimizer = getOptimizer(args.optimizer);
    this.loss = this.resolveLoss(args.loss);
    const ids = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
    this.metricSpecs = ids.map((id) => {
      const spec = getMetric(id, this.loss!.name ?? undefined);
      return typeof id === 'string' ? { ...spec, name: id === 'accuracy' ? 'acc' : id } : spec;
    });
    const names = this.metricSpecs.map((m) => m.name);
    if (new Set(names).size !== names.length) throw new ValueError(`${this.name}.compile: duplicate metric names ${names.join(', ')}`);
    this.compileConfig = {
      optimizer: this.optimizer.toJSON(),
      loss: this.loss.name ? (this.loss.fromLogits ? { name: this.loss.name, fromLogits: true } : this.loss.name) : null,
      metrics: ids.map((id) => (typeof id === 'string' ? id : null)),
    };
  }

  private resolveLoss(id: LossIdentifier): CompiledLoss {
    if (typeof id === 'string') {
      const name = canonicalLossName(id);
      return { name, fromLogits: false, perSample: perSampleLosses[name], scalar: null };
    }
    if (typeof id === 'function') {
      const name = lossFunctionNames.get(id);
      if (name) return { name, fromLogits: false, perSample: perSampleLosses[name], scalar: null };
      return { name: null, fromLogits: false, perSample: null, scalar: id };
    }
    if (id && typeof id === 'object' && isLossName(id.name)) {
      const name = canonicalLossName(id.name);
      return { name, fromLogits: id.fromLogits ?? false, perSample: perSampleLosses[name], scalar: null };
    }
    throw new ValueError(`${this.name}.compile: unknown loss ${JSON.stringify(id)}`);
  }

  /** Softmax + cross-entropy fuse into the native op when the last layer ends in softmax (stable, no log(0)). */
  private get fusesSoftmax(): boolean {
    const l = this.loss;
    return (
      !!l &&
      !l.fromLogits &&
      (l.name === 'categoricalCrossentropy' || l.name === 'sparseCategoricalCrossentropy') &&
      this.layers[this.layers.length - 1]?.activationName === 'softmax'
    );
  }

  private requireCompiled(what: string): { loss: CompiledLoss; optimizer: Optimizer } {
    if (!this.loss || !this.optimizer) throw new ValueError(`${this.name}.${what}: call compile() first`);
    return { loss: this.loss, optimizer: this.optimizer };
  }

  /**
   * Forward pass, loss (+ regularization) and metric statistics for one batch. Returns the loss tensor and the
   * metric statistics' tensors (their plain-number parts are returned separately).
   */
  private batchLossAndStats(x: Tensor, y: Tensor, w: Tensor | null, training: boolean): { loss: Tensor; stats: (Tensor | number)[][] } {
    const { loss } = this.requireCompiled(training ? 'fit' : 'evaluate');
    const fused = this.fusesSoftmax;
    const out = this.apply(x, { training, logits: fused });
    let total: Tensor;
    if (loss.perSample) {
      total = weightedMean(loss.perSample(y, out, { fromLogits: fused || loss.fromLogits }), w);
    } else {
      if (w) throw new ValueError(`${this.name}: classWeight needs a built-in loss (per-sample values); got a custom loss function`);
      total = loss.scalar!(y, out);
    }
    for (const l of this.layers) for (const r of l.regularizationLosses()) total = add(total, r);
    const stats = noGrad(() => {
      if (this.metricSpecs.length === 0) return [];
      const pred = fused ? softmax(out, -1) : out;
      return this.metricSpecs.map((m) => m.stats(y, pred));
    });
    return { loss: total, stats };
  }

  /** One optimizer step on a batch; returns the loss and metric-statistics tensors (kept for reading back). */
  private trainStep(x: Tensor, y: Tensor, w: Tensor | null): { loss: Tensor; stats: (Tensor | number)[][] } {
    const { optimizer } = this.requireCompiled('fit');
    const vars = this.trainableWeights;
    optimizer.zeroGrad(vars);
    const result = tidy(() => {
      const r = this.batchLossAndStats(x, y, w, true);
      r.loss.backward();
      optimizer.step(vars);
      return { loss: r.loss.detach(), stats: r.stats };
    });
    optimizer.zeroGrad(vars);
    return result;
  }

  /** Trains on one batch; resolves to [loss, ...metrics] for that batch. */
  async trainOnBatch(x: Tensor, y: Tensor): Promise<number[]> {
    this.requireCompiled('trainOnBatch');
    this.ensureBuilt(x);
    const { loss, stats } = this.trainStep(x, y, null);
    const values = await readStats(loss, stats);
    const acc = new Accumulator(this.metricSpecs);
    acc.add(values, x.shape[0]);
    return acc.values();
  }

  /**
   * Trains for `epochs` over (x, y), awaiting the device asynchronously (the event loop stays free); resolves to the
   * History of per-epoch logs.
   */
  async fit(x: Tensor, y: Tensor, args: ModelFitArgs = {}): Promise<History> {
    this.requireCompiled('fit');
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
    if (x.shape[0] !== y.shape[0]) throw new ValueError(`${this.name}.fit: x has ${x.shape[0]} samples but y has ${y.shape[0]}`);

    this.isTraining = true;
    try {
      this.ensureBuilt(x);
      const [hx, hy] = await Promise.all([toHost(x, 'fit: x'), toHost(y, 'fit: y')]);
      const weights = args.classWeight ? classWeightsToSample(hy, args.classWeight) : null;
      const n = hx.shape[0];
      const nTrain = split > 0 ? Math.floor(n * (1 - split)) : n;
      if (nTrain === 0) throw new ValueError(`${this.name}.fit: no training samples left after validationSplit ${split}`);
      const train: HostData = { x: hx, y: hy, w: weights, rows: range(0, nTrain) };
      let val: HostData | null = null;
      if (args.validationData) {
        const [vx, vy] = args.validationData;
        if (vx.shape[0] !== vy.shape[0]) throw new ValueError(`${this.name}.fit: validationData x and y differ in samples`);
        const [hvx, hvy] = await Promise.all([toHost(vx, 'fit: validationData[0]'), toHost(vy, 'fit: validationData[1]')]);
        val = { x: hvx, y: hvy, w: null, rows: range(0, hvx.shape[0]) };
      } else if (split > 0) {
        val = { x: hx, y: hy, w: null, rows: range(nTrain, n) };
      }

      const history = new History();
      const user = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
      const list = new CallbackList([...(verbose > 0 ? [new ProgressLogger({ verbose })] : []), ...user, history]);
      const keys = ['loss', ...this.metricSpecs.map((m) => m.name)];
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
        const logs = await this.runEpoch(train, order, batchSize, list, depth);
        if (val) {
          const vlogs = await this.evaluateHost(val, batchSize);
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

  private async runEpoch(data: HostData, order: Int32Array, batchSize: number, list: CallbackList, depth: number): Promise<Logs> {
    const acc = new Accumulator(this.metricSpecs);
    const pending: { batch: number; size: number; values: Promise<BatchValues> }[] = [];
    const settle = async (): Promise<void> => {
      const p = pending.shift()!;
      const values = await p.values;
      acc.add(values, p.size);
      const single = new Accumulator(this.metricSpecs);
      single.add(values, p.size);
      await list.batchEnd(p.batch, { batch: p.batch, size: p.size, ...single.logs() });
    };
    const steps = Math.ceil(order.length / batchSize);
    for (let b = 0; b < steps && !this.stopTraining; b++) {
      const idx = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
      const size = idx.length;
      await list.batchBegin(b, { batch: b, size });
      const xb = gatherBatch(data.x, idx, this.deviceName);
      const yb = gatherBatch(data.y, idx, this.deviceName);
      const wb = data.w ? gatherWeights(data.w, idx, this.deviceName) : null;
      let step: { loss: Tensor; stats: (Tensor | number)[][] };
      try {
        step = this.trainStep(xb, yb, wb);
      } finally {
        dispose([xb, yb, wb]);
      }
      pending.push({ batch: b, size, values: quiet(readStats(step.loss, step.stats)) });
      while (pending.length >= depth) await settle();
    }
    while (pending.length > 0) await settle();
    return acc.logs();
  }

  private async evaluateHost(data: HostData, batchSize: number): Promise<Logs> {
    const acc = new Accumulator(this.metricSpecs);
    const pending: { size: number; values: Promise<BatchValues> }[] = [];
    for (let start = 0; start < data.rows.length; start += batchSize) {
      const idx = data.rows.subarray(start, Math.min(data.rows.length, start + batchSize));
      const xb = gatherBatch(data.x, idx, this.deviceName);
      const yb = gatherBatch(data.y, idx, this.deviceName);
      try {
        const r = noGrad(() => tidy(() => this.batchLossAndStats(xb, yb, null, false)));
        pending.push({ size: idx.length, values: quiet(readStats(r.loss, r.stats)) });
      } finally {
        dispose([xb, yb]);
      }
      if (pending.length >= 2) {
        const p = pending.shift()!;
        acc.add(await p.values, p.size);
      }
    }
    for (const p of pending) acc.add(await p.values, p.size);
    return acc.logs();
  }

  /** Loss and metrics over (x, y) in inference mode; resolves to [loss, ...metrics] in compile order. */
  async evaluate(x: Tensor, y: Tensor, args: ModelEvaluateArgs = {}): Promise<number[]> {
    this.requireCompiled('evaluate');
    const batchSize = args.batchSize ?? 32;
    checkInt('evaluate', 'batchSize', batchSize, 1);
    if (x.shape[0] !== y.shape[0]) throw new ValueError(`${this.name}.evaluate: x has ${x.shape[0]} samples but y has ${y.shape[0]}`);
    this.ensureBuilt(x);
    const [hx, hy] = await Promise.all([toHost(x, 'evaluate: x'), toHost(y, 'evaluate: y')]);
    const logs = await this.evaluateHost({ x: hx, y: hy, w: null, rows: range(0, hx.shape[0]) }, batchSize);
    return ['loss', ...this.metricSpecs.map((m) => m.name)].map((k) => logs[k]);
  }

  /** @internal The per-batch steps fitDataset / evaluateDataset drive (this model's own training step). */
  private datasetSteps(what: string): DatasetSteps<BatchValues> {
    const tensorOf = (v: unknown, arg: string): Tensor => {
      if (!v || (v as { isTensor?: boolean }).isTensor !== true) throw new ValueError(`${this.name}.${what}: '${arg}' of a batch must be a Tensor for a Sequential model`);
      return v as Tensor;
    };
    const onDevice = (t: Tensor): Tensor => (t.device === this.deviceName ? t : t.to(this.deviceName));
    const run = (xs: unknown, ys: unknown, fn: (x: Tensor, y: Tensor) => { loss: Tensor; stats: (Tensor | number)[][] }): Promise<BatchValues> => {
      const x = onDevice(tensorOf(xs, 'xs'));
      const y = onDevice(tensorOf(ys, 'ys'));
      try {
        this.ensureBuilt(x);
        const r = fn(x, y);
        return quiet(readStats(r.loss, r.stats));
      } finally {
        if (x !== xs) x.dispose();
        if (y !== ys) y.dispose();
      }
    };
    return {
      keys: ['loss', ...this.metricSpecs.map((m) => m.name)],
      device: this.deviceName,
      train: (xs, ys) => run(xs, ys, (x, y) => this.trainStep(x, y, null)),
      evaluate: (xs, ys) => run(xs, ys, (x, y) => noGrad(() => tidy(() => this.batchLossAndStats(x, y, null, false)))),
      accumulator: () => new Accumulator(this.metricSpecs),
      evaluateTensors: async (x, y, batchSize) => {
        const [hx, hy] = await Promise.all([toHost(x, `${what}: validationData[0]`), toHost(y, `${what}: validationData[1]`)]);
        if (hx.shape[0] !== hy.shape[0]) throw new ValueError(`${this.name}.${what}: validationData x and y differ in samples`);
        return this.evaluateHost({ x: hx, y: hy, w: null, rows: range(0, hx.shape[0]) }, batchSize);
      },
    };
  }

  /**
   * Trains on the batches of a tf.data Dataset whose elements are {xs, ys} (or [xs, ys]), as tfjs' fitDataset:
   * `batchesPerEpoch`, `validationData` (a dataset or [x, y] tensors), callbacks. Resolves to the History.
   */
  async fitDataset(dataset: unknown, args: ModelFitDatasetArgs = {}): Promise<History> {
    this.requireCompiled('fitDataset');
    if (this.isTraining) throw new ValueError(`${this.name}.fitDataset: already training (await the running fit first)`);
    this.isTraining = true;
    try {
      return await fitDataset(this, this.datasetSteps('fitDataset'), dataset, args);
    } finally {
      this.isTraining = false;
    }
  }

  /** Loss and metrics over a dataset's batches (tfjs' evaluateDataset): a scalar tensor, or one per value. */
  async evaluateDataset(dataset: unknown, args: ModelEvaluateDatasetArgs = {}): Promise<Tensor | Tensor[]> {
    this.requireCompiled('evaluateDataset');
    return evaluateDataset(this, this.datasetSteps('evaluateDataset'), dataset, args);
  }

  /**
   * Outputs for `x` in inference mode, in batches of `batchSize` (default 32). Returns at once: the work is queued
   * on the device and `await y.data()` waits for it (tfjs' predict is synchronous too).
   */
  predict(x: Tensor, args: { batchSize?: number } = {}): Tensor {
    const batchSize = args.batchSize ?? 32;
    checkInt('predict', 'batchSize', batchSize, 1);
    this.ensureBuilt(x);
    const n = x.shape[0];
    return noGrad(() =>
      tidy(() => {
        if (n <= batchSize) return this.apply(x);
        const parts: Tensor[] = [];
        for (let s = 0; s < n; s += batchSize) {
          const size = Math.min(batchSize, n - s);
          parts.push(this.apply(slice(x, [s, ...x.shape.slice(1).map(() => 0)], [size, ...x.shape.slice(1)])));
        }
        return concat(parts, 0);
      }),
    );
  }

  /** predict() that reads each batch back before queueing the next, so device memory stays flat on huge inputs. */
  async predictAsync(x: Tensor, args: { batchSize?: number } = {}): Promise<Tensor> {
    const batchSize = args.batchSize ?? 32;
    checkInt('predictAsync', 'batchSize', batchSize, 1);
    this.ensureBuilt(x);
    const hx = await toHost(x, 'predictAsync: x');
    const n = hx.shape[0];
    const chunks: { data: ArrayLike<number>; shape: readonly number[] }[] = [];
    for (let s = 0; s < n; s += batchSize) {
      const xb = gatherBatch(hx, range(s, Math.min(n, s + batchSize)), this.deviceName);
      const yb = noGrad(() => tidy(() => this.apply(xb)));
      xb.dispose();
      chunks.push({ data: await yb.data(), shape: yb.shape });
      yb.dispose();
    }
    const row = chunks[0]?.shape.slice(1) ?? [];
    const rowSize = row.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n * rowSize);
    let off = 0;
    for (const c of chunks) {
      out.set(c.data, off);
      off += c.data.length;
    }
    return tensor(out, [n, ...row], { device: this.deviceName });
  }

  /** A table of layers with output shapes and parameter counts (printed with printFn, default console.log). */
  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): string {
    if (!this.built) this.build();
    const text = formatSummary(this, lineLength, positions);
    for (const line of text.split('\n')) printFn(line);
    return text;
  }

  /** @internal Output shape after each layer (batch dim null). */
  layerOutputShapes(): Shape[] {
    let shape: Shape = this.layers[0].inputShape ?? this.layers[0].batchInputShape ?? [null];
    return this.layers.map((l) => (shape = l.computeOutputShape(shape)));
  }

  /** The architecture (and the compile settings, when compiled) as JSON: what model.json stores. */
  toJSON(): { className: 'Sequential'; config: { name: string; layers: ReturnType<Layer['toJSON']>[] }; compileConfig: Record<string, unknown> | null } {
    const layers = this.layers.map((l, i) => {
      const json = l.toJSON();
      // The first layer records the input shape it was built for, so a loaded model can build before any data.
      if (i === 0 && !json.config.batchInputShape && l.inputShape) json.config.batchInputShape = [...l.inputShape];
      return json;
    });
    return { className: 'Sequential', config: { name: this.name, layers }, compileConfig: this.compileConfig };
  }

  /** A new model (fresh weights) from toJSON() output; compiled too when the JSON has compile settings. */
  static fromJSON(json: ReturnType<Sequential['toJSON']>): Sequential {
    if (!json || json.className !== 'Sequential') throw new ValueError(`Sequential.fromJSON: expected className 'Sequential', got ${JSON.stringify(json?.className)}`);
    const model = new Sequential({ name: json.config.name, layers: json.config.layers.map((l) => deserializeLayer(l)) });
    const cc = json.compileConfig as { optimizer: never; loss: LossIdentifier | null; metrics: (string | null)[] } | null;
    if (cc && cc.loss) model.compile({ optimizer: cc.optimizer, loss: cc.loss, metrics: cc.metrics.filter((m): m is string => m !== null) });
    return model;
  }

  /**
   * Saves the model into directory `dir`: model.json (architecture, training config), weights.safetensors and, unless
   * {includeOptimizer: false}, optimizer.safetensors; atomically. Reload with loadModel(dir). See lib/io/model_files.ts.
   */
  save(dir: string, opts: SaveModelOptions = {}): Promise<void> {
    return saveModel(this, dir, opts);
  }

  /** Frees the weights and the optimizer state. */
  dispose(): void {
    for (const l of this.layers) l.dispose();
    this.optimizer?.dispose();
  }
}

/**
 * Marks a pipelined batch's promise as handled: a device error (e.g. a label out of range) may reject it while
 * fit() awaits an earlier batch; it is still rethrown when fit() awaits this promise, without an unhandled rejection.
 */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

interface BatchValues {
  loss: number;
  /** Per metric, its statistics' values. */
  stats: number[][];
}

/** Waits for the loss and metric statistics of a batch, then frees them. */
async function readStats(loss: Tensor, stats: (Tensor | number)[][]): Promise<BatchValues> {
  const read = (t: Tensor | number): Promise<number> | number => (typeof t === 'number' ? t : t.data().then((d) => d[0]));
  try {
    const [l, ...st] = await Promise.all([read(loss), ...stats.map((parts) => Promise.all(parts.map(read)))]);
    return { loss: l as number, stats: st as number[][] };
  } finally {
    dispose([loss, ...stats.flat().filter((t): t is Tensor => typeof t !== 'number')]);
  }
}

/** Sums batch statistics over an epoch: the loss weighted by batch size, the metrics from their summed parts. */
class Accumulator {
  private lossSum = 0;
  private count = 0;
  private readonly totals: number[][];
  constructor(private readonly specs: MetricSpec[]) {
    this.totals = specs.map(() => []);
  }
  add(v: BatchValues, size: number): void {
    this.lossSum += v.loss * size;
    this.count += size;
    v.stats.forEach((parts, i) => parts.forEach((x, j) => (this.totals[i][j] = (this.totals[i][j] ?? 0) + x)));
  }
  logs(): Logs {
    const logs: Logs = { loss: this.count > 0 ? this.lossSum / this.count : NaN };
    this.specs.forEach((s, i) => (logs[s.name] = s.result(this.totals[i])));
    return logs;
  }
  values(): number[] {
    const l = this.logs();
    return ['loss', ...this.specs.map((s) => s.name)].map((k) => l[k]);
  }
}

function checkInt(what: string, name: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${what}: '${name}' must be an integer >= ${min}, got ${JSON.stringify(v)}`);
}

/** tfjs' `sequential({layers})`. */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}
