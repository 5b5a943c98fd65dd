// The batching Predictor: queues requests, runs them together in one forward pass per batch, splits the outputs back.
import { performance } from 'perf_hooks';
import { getDefaultDevice, normalizeDevice, type Device } from '../device';
import { ValueError } from '../errors';
import { tensor } from '../ops/creation';
import type { Tensor } from '../tensor';
import { AbortedError, DeadlineExceededError, OverloadedError, UnavailableError } from './errors';
import { readInputs, type HostTensor, type PredictInputs, type RequestRows } from './inputs';
import { loadServable } from './loader';
import { rowSize, toServable, type ModelLike, type ModelSignature, type ServableModel } from './servable';
import { percentilesOf, Window, type PredictorStats } from './stats';

export interface PredictorOptions {
  /** Most rows in one forward pass (default 32). 1 turns batching off. A larger request runs alone. */
  maxBatchSize?: number;
  /** How long the oldest queued request waits for company before a partial batch runs (default 2 ms). */
  maxQueueDelayMs?: number;
  /** Batch sizes to run at once, without waiting, as soon as that many rows are queued (e.g. [8, 16]). */
  preferredBatchSizes?: number[];
  /** Most requests waiting; beyond it predict() rejects at once with OverloadedError (default 1024). */
  maxQueueSize?: number;
  /** Batches computing at once, each on its own model replica (default 1). */
  instances?: number;
  /** Devices for the replicas, round robin (default: the model's device, or the default device). */
  devices?: Device[];
  /** Run a batch of 1 and of maxBatchSize through every replica before load() resolves (default true). */
  warmup?: boolean;
  /**
   * Pad every forward pass with zero rows up to a fixed size (the smallest preferred batch size that holds it, else
   * maxBatchSize), so a request's result does not depend on what it was batched with: bit-identical to the same
   * request predicted alone. BLAS picks its kernels by the number of rows, so without padding results agree only to
   * float rounding. Costs the padded rows' compute on partial batches (default false).
   */
  padBatches?: boolean;
  /** Deadline for requests that give none (default: none). */
  defaultDeadlineMs?: number;
  /** Called after each forward pass (metrics hook). */
  onBatch?: (info: BatchInfo) => void;
}

export interface BatchInfo {
  rows: number;
  requests: number;
  computeMs: number;
}

export interface PredictOptions {
  /** Aborting drops the request if it is still queued (it then rejects with AbortedError). */
  signal?: AbortSignal;
  /** Milliseconds from now; a request still queued then is dropped with DeadlineExceededError. */
  deadlineMs?: number;
}

export interface PredictResult {
  /** One host tensor per model output, by output name, in the signature's order; batch dim = the request's rows. */
  outputs: Record<string, HostTensor>;
  /** Rows in the forward pass that computed this request. */
  batchSize: number;
  queueMs: number;
  computeMs: number;
}

const QUEUED = 0;
const RUNNING = 1;
const SETTLED = 2;

interface Pending {
  req: RequestRows;
  enqueuedAt: number;
  state: number;
  resolve(r: PredictResult): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout | null;
  detach: (() => void) | null;
}

interface Instance {
  model: ServableModel;
  busy: boolean;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`Predictor: '${name}' must be an integer >= 1, got ${v}`);
  return v;
}

function nonNegative(name: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new ValueError(`Predictor: '${name}' must be a finite number >= 0, got ${v}`);
  return v;
}

export class Predictor {
  readonly signature: ModelSignature;
  readonly maxBatchSize: number;
  readonly maxQueueDelayMs: number;
  readonly maxQueueSize: number;
  private readonly preferred: number[];
  readonly padBatches: boolean;
  private readonly defaultDeadlineMs: number;
  private readonly onBatch?: (info: BatchInfo) => void;
  private readonly instances: Instance[];
  private readonly owned: ServableModel[];
  private queue: Pending[] = [];
  private head = 0;
  private live = 0;
  private liveRows = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private drained: (() => void) | null = null;
  private readonly counts = { completed: 0, overloaded: 0, expired: 0, aborted: 0, failed: 0, batches: 0, rows: 0 };
  private readonly queueWin = new Window();
  private readonly computeWin = new Window();

  private constructor(models: ServableModel[], owned: ServableModel[], opts: PredictorOptions) {
    this.signature = models[0].signature;
    this.maxBatchSize = positiveInt('maxBatchSize', opts.maxBatchSize ?? 32);
    this.maxQueueDelayMs = nonNegative('maxQueueDelayMs', opts.maxQueueDelayMs ?? 2);
    this.maxQueueSize = positiveInt('maxQueueSize', opts.maxQueueSize ?? 1024);
    this.defaultDeadlineMs = nonNegative('defaultDeadlineMs', opts.defaultDeadlineMs ?? 0);
    this.preferred = [...(opts.preferredBatchSizes ?? [])].sort((a, b) => b - a);
    for (const p of this.preferred) {
      positiveInt('preferredBatchSizes', p);
      if (p > this.maxBatchSize) throw new ValueError(`Predictor: preferred batch size ${p} exceeds maxBatchSize ${this.maxBatchSize}`);
    }
    this.onBatch = opts.onBatch;
    this.padBatches = opts.padBatches ?? false;
    if (typeof this.padBatches !== 'boolean') throw new ValueError(`Predictor: 'padBatches' must be a boolean, got ${JSON.stringify(opts.padBatches)}`);
    this.instances = models.map((model) => ({ model, busy: false }));
    this.owned = owned;
  }

  /**
   * A Predictor over a model directory (any format loadServable reads) or a model in memory. Directories are loaded
   * once per device in `devices`; a model in memory is shared by all replicas and is not disposed by close().
   */
  static async load(source: string | ModelLike, opts: PredictorOptions = {}): Promise<Predictor> {
    const instances = positiveInt('instances', opts.instances ?? 1);
    let models: ServableModel[];
    let owned: ServableModel[] = [];
    if (typeof source === 'string') {
      const devices = (opts.devices?.length ? opts.devices : [getDefaultDevice()]).map((d) => normalizeDevice(d, 'Predictor.load'));
      const byDevice = new Map<Device, ServableModel>();
      try {
        for (const d of devices) if (!byDevice.has(d)) byDevice.set(d, await loadServable(source, { device: d }));
      } catch (e) {
        for (const m of byDevice.values()) m.dispose();
        throw e;
      }
      owned = [...byDevice.values()];
      models = Array.from({ length: instances }, (_, i) => byDevice.get(devices[i % devices.length])!);
    } else {
      if (opts.devices?.length) throw new ValueError('Predictor.load: devices applies to a model directory; move an in-memory model yourself');
      const m = toServable(source);
      models = Array.from({ length: instances }, () => m);
    }
    const p = new Predictor(models, owned, opts);
    if (opts.warmup ?? true) {
      try {
        await p.warmup();
      } catch (e) {
        for (const m of owned) m.dispose();
        throw e;
      }
    }
    return p;
  }

  /** Outputs for one request; resolves when its batch has computed. Never blocks the event loop on compute. */
  predict(inputs: PredictInputs, opts: PredictOptions = {}): Promise<PredictResult> {
    try {
      this.admit(opts);
      if (opts.deadlineMs !== undefined) nonNegative('deadlineMs', opts.deadlineMs);
      const req = readInputs(this.signature, inputs);
      // Host inputs are queued now, in call order; tensor inputs once their values are read.
      return req instanceof Promise ? req.then((r) => (this.admit(opts), this.enqueue(r, opts))) : this.enqueue(req, opts);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Throws unless a request may be queued now: open, not aborted, queue not full (checked before reading inputs). */
  private admit(opts: PredictOptions): void {
    if (this.closing) throw new UnavailableError('predict: the predictor is closed');
    if (opts.signal?.aborted) throw new AbortedError('predict: aborted before it was queued');
    if (this.live >= this.maxQueueSize) throw this.overloaded();
  }

  private enqueue(req: RequestRows, opts: PredictOptions): Promise<PredictResult> {
    const deadlineMs = opts.deadlineMs ?? this.defaultDeadlineMs;
    return new Promise<PredictResult>((resolve, reject) => {
      const p: Pending = { req, enqueuedAt: performance.now(), state: QUEUED, resolve, reject, timer: null, detach: null };
      if (deadlineMs > 0) p.timer = setTimeout(() => this.drop(p, new DeadlineExceededError(`predict: deadline of ${deadlineMs} ms passed while queued`), 'expired'), deadlineMs);
      if (opts.signal) {
        const signal = opts.signal;
        const onAbort = () => this.drop(p, new AbortedError('predict: aborted while queued'), 'aborted');
        signal.addEventListener('abort', onAbort, { once: true });
        p.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(p);
      this.live++;
      this.liveRows += req.rows;
      this.pump();
    });
  }

  stats(): PredictorStats {
    return {
      queueDepth: this.live,
      queuedRows: this.liveRows,
      inFlightBatches: this.inFlight,
      ...this.counts,
      avgBatchSize: this.counts.batches ? this.counts.rows / this.counts.batches : 0,
      queueMs: percentilesOf(this.queueWin),
      computeMs: percentilesOf(this.computeWin),
    };
  }

  /** True until close() is called. */
  get accepting(): boolean {
    return !this.closing;
  }

  /** Stops taking requests, runs everything queued (no more waiting for company), resolves when all are answered. */
  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      this.pump();
    }
    if (this.live > 0 || this.inFlight > 0) await new Promise<void>((r) => (this.drained = r));
    for (const m of this.owned.splice(0)) m.dispose();
  }

  private overloaded(): OverloadedError {
    this.counts.overloaded++;
    // Time to drain the queue at the recent pace, rounded up to whole seconds (Retry-After's unit).
    const perRow = this.counts.rows ? this.computeWin.mean() / (this.counts.rows / this.counts.batches) : 0;
    const seconds = Math.max(1, Math.ceil((this.liveRows * perRow) / this.instances.length / 1000));
    return new OverloadedError(`predict: queue full (${this.live} of ${this.maxQueueSize} requests waiting)`, seconds);
  }

  /** Drops a still-queued request (deadline or abort); a request already computing is left to finish. */
  private drop(p: Pending, e: Error, why: 'expired' | 'aborted'): void {
    if (p.state !== QUEUED) return;
    this.settle(p);
    this.live--;
    this.liveRows -= p.req.rows;
    this.counts[why]++;
    p.reject(e);
    // Dead entries stay in the array until the head reaches them; compact if aborts pile up behind a long batch.
    if (this.queue.length - this.head > 2 * this.maxQueueSize + 16) {
      this.queue = this.queue.slice(this.head).filter((q) => q.state === QUEUED);
      this.head = 0;
    }
    this.checkDrained();
  }

  private settle(p: Pending): void {
    p.state = p.state === QUEUED ? SETTLED : p.state;
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    p.detach?.();
    p.detach = null;
  }

  /** Starts batches while a replica is free and the queue has a batch ready (full, preferred size, or waited long enough). */
  private pump(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (;;) {
      while (this.head < this.queue.length && this.queue[this.head].state !== QUEUED) this.head++;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      if (this.live === 0) return;
      const inst = this.instances.find((i) => !i.busy);
      if (!inst) return;
      let limit = this.liveRows >= this.maxBatchSize ? this.maxBatchSize : (this.preferred.find((s) => s <= this.liveRows) ?? 0);
      if (limit === 0) {
        const waited = performance.now() - this.queue[this.head].enqueuedAt;
        if (waited < this.maxQueueDelayMs && !this.closing) {
          this.timer = setTimeout(() => this.pump(), this.maxQueueDelayMs - waited);
          return;
        }
        limit = this.maxBatchSize;
      }
      void this.execute(inst, this.take(limit));
    }
  }

  /** Whole requests from the head of the queue up to `limit` rows (the first is taken even if larger). */
  private take(limit: number): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.head < this.queue.length) {
      const p = this.queue[this.head];
      if (p.state !== QUEUED) {
        this.head++;
        continue;
      }
      if (batch.length > 0 && rows + p.req.rows > limit) break;
      this.head++;
      this.settle(p);
      p.state = RUNNING;
      this.live--;
      this.liveRows -= p.req.rows;
      rows += p.req.rows;
      batch.push(p);
      if (rows >= limit) break;
    }
    return batch;
  }

  private async execute(inst: Instance, batch: Pending[]): Promise<void> {
    inst.busy = true;
    this.inFlight++;
    const start = performance.now();
    try {
      const reqs = batch.map((p) => p.req);
      const padding = this.paddingFor(reqs.reduce((n, r) => n + r.rows, 0));
      if (padding > 0) reqs.push(this.zeroRows(padding));
      const out = await this.forward(inst.model, reqs);
      const computeMs = performance.now() - start;
      const rows = out.rows;
      this.counts.batches++;
      this.counts.rows += rows;
      this.computeWin.add(computeMs);
      let row = 0;
      for (const p of batch) {
        const outputs: Record<string, HostTensor> = {};
        out.values.forEach((v, i) => {
          const per = v.data.length / rows;
          // A copy per request: a response must not keep the whole batch's buffer alive.
          outputs[this.signature.outputs[i].name] = { data: v.data.slice(row * per, (row + p.req.rows) * per), shape: [p.req.rows, ...v.shape.slice(1)] };
        });
        row += p.req.rows;
        const queueMs = start - p.enqueuedAt;
        this.queueWin.add(queueMs);
        this.counts.completed++;
        p.state = SETTLED;
        p.resolve({ outputs, batchSize: rows, queueMs, computeMs });
      }
      this.onBatch?.({ rows, requests: batch.length, computeMs });
    } catch (e) {
      this.counts.failed += batch.length;
      for (const p of batch) {
        p.state = SETTLED;
        p.reject(e as Error);
      }
    } finally {
      inst.busy = false;
      this.inFlight--;
      this.pump();
      this.checkDrained();
    }
  }

  /** Zero rows to add to a batch of `rows` (padBatches): up to the smallest preferred size that holds it, else maxBatchSize. */
  private paddingFor(rows: number): number {
    if (!this.padBatches || rows >= this.maxBatchSize) return 0;
    const target = [...this.preferred].reverse().find((s) => s >= rows) ?? this.maxBatchSize;
    return target - rows;
  }

  /** `n` rows of zeros for every input. */
  private zeroRows(n: number): RequestRows {
    return { rows: n, data: this.signature.inputs.map((s) => (s.dtype === 'int32' ? new Int32Array(n * rowSize(s)) : new Float32Array(n * rowSize(s)))) };
  }

  /** One forward pass over the concatenated rows of `reqs`; resolves to each output's host data. */
  private async forward(model: ServableModel, reqs: RequestRows[]): Promise<{ rows: number; values: { data: Float32Array | Int32Array; shape: number[] }[] }> {
    const rows = reqs.reduce((n, r) => n + r.rows, 0);
    const xs: Tensor[] = this.signature.inputs.map((spec, i) => {
      const size = rowSize(spec);
      let data = reqs[0].data[i];
      if (reqs.length > 1) {
        data = spec.dtype === 'int32' ? new Int32Array(rows * size) : new Float32Array(rows * size);
        let off = 0;
        for (const r of reqs) {
          data.set(r.data[i], off);
          off += r.data[i].length;
        }
      }
      return tensor(data, [rows, ...(spec.shape.slice(1) as number[])], { dtype: spec.dtype, device: model.device });
    });
    let ys: Tensor[];
    try {
      ys = model.run(xs);
    } finally {
      for (const x of xs) x.dispose();
    }
    try {
      const values = await Promise.all(ys.map((y) => y.data()));
      return { rows, values: ys.map((y, i) => ({ data: values[i] as Float32Array | Int32Array, shape: [...y.shape] })) };
    } finally {
      for (const y of ys) y.dispose();
    }
  }

  /** Runs a batch of 1 and of maxBatchSize (and each preferred size) of zeros through every replica. */
  private async warmup(): Promise<void> {
    const sizes = [...new Set([1, ...this.preferred, this.maxBatchSize])];
    const seen = new Set<ServableModel>();
    for (const inst of this.instances) {
      if (seen.has(inst.model)) continue;
      seen.add(inst.model);
      for (const n of sizes) {
        await this.forward(inst.model, [this.zeroRows(n)]);
      }
    }
  }

  private checkDrained(): void {
    if (this.drained && this.live === 0 && this.inFlight === 0) {
      const d = this.drained;
      this.drained = null;
      d();
    }
  }
}
