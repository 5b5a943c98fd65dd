// Callback hooks (tfjs/Keras): plain objects of hook functions or Callback subclasses, run in order by a CallbackList.
import type { Logs, TrainingModel } from './types';

export type { Logs, TrainingModel } from './types';

/** Hooks a callback may define; each may return a promise, which training awaits. */
export interface CallbackHooks {
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

/** What fit() tells callbacks before training starts. */
export interface TrainParams {
  epochs: number;
  initialEpoch: number;
  /** Batches per epoch. */
  steps: number;
  samples: number;
  batchSize: number;
  verbose: number;
  /** Log keys, e.g. ['loss', 'acc', 'val_loss', 'val_acc']. */
  metrics: string[];
}

/** Base class for built-in callbacks: it gets the model and the training parameters before onTrainBegin. */
export abstract class Callback {
  model: TrainingModel | null = null;
  params: TrainParams | null = null;
  /**
   * @internal Batch hooks that can take their logs a batch late (progress display, history): with no other batch
   * hooks, fit() keeps one batch in flight and reads each batch's loss while the next one computes.
   */
  readonly lagTolerant: boolean = false;
  setModel(model: TrainingModel): void {
    this.model = model;
  }
  setParams(params: TrainParams): void {
    this.params = params;
  }
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/** Runs a list of callbacks in order, awaiting each hook. */
export class CallbackList {
  readonly callbacks: CallbackHooks[];
  constructor(callbacks: (CallbackHooks | Callback)[]) {
    for (const cb of callbacks) {
      if (!cb || typeof cb !== 'object') throw new TypeError(`callbacks: each callback must be an object of hook functions, got ${cb}`);
      for (const h of HOOKS) {
        const f = (cb as Record<string, unknown>)[h];
        if (f !== undefined && typeof f !== 'function') throw new TypeError(`callbacks: '${h}' must be a function`);
      }
    }
    this.callbacks = callbacks as CallbackHooks[];
  }
  setModel(model: TrainingModel): void {
    for (const cb of this.callbacks) if (cb instanceof Callback) cb.setModel(model);
  }
  setParams(params: TrainParams): void {
    for (const cb of this.callbacks) if (cb instanceof Callback) cb.setParams(params);
  }
  /** True when some callback needs each batch's logs before the next batch starts (any user batch hook). */
  get needsStrictBatches(): boolean {
    return this.callbacks.some((cb) => !(cb instanceof Callback && cb.lagTolerant) && (cb.onBatchBegin || cb.onBatchEnd));
  }
  async trainBegin(logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainBegin?.(logs);
  }
  async trainEnd(logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainEnd?.(logs);
  }
  async epochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochBegin?.(epoch, logs);
  }
  async epochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochEnd?.(epoch, logs);
  }
  async batchBegin(batch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onBatchBegin?.(batch, logs);
  }
  async batchEnd(batch: number, logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onBatchEnd?.(batch, logs);
  }
}
