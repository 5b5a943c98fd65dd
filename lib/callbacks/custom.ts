// tf.CustomCallback: a callback built from hook functions ({onEpochEnd, onBatchEnd, ..., onYield}), yielding to the
// event loop now and then as tfjs's does (yieldEvery 'auto' = at most every 125 ms, 'batch', 'epoch', ms, 'never').
import { ValueError } from '../errors';
import { nextFrame } from '../environment';
import { Callback } from './callback';
import type { Logs } from './types';

export type YieldEveryOptions = 'auto' | 'batch' | 'epoch' | 'never' | number;

export interface CustomCallbackArgs {
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs?: Logs) => void | Promise<void>;
  /** Called when the callback yields to the event loop (with yieldEvery a number or 'auto'). */
  onYield?: (epoch: number, batch: number, logs: Logs) => void | Promise<void>;
  /** Clock in ms for the yield interval (default performance.now). */
  nowFunc?: () => number;
  /** How to yield (default: tf.nextFrame, a setImmediate turn). */
  nextFrameFunc?: () => Promise<void>;
}

/** tfjs's interval for yieldEvery 'auto'. */
const AUTO_YIELD_MS = 125;

export class CustomCallback extends Callback {
  protected readonly args: CustomCallbackArgs;
  readonly yieldEvery: Exclude<YieldEveryOptions, 'auto'>;
  private currentEpoch = 0;
  private lastYield: number;
  private readonly now: () => number;
  private readonly nextFrameFunc: () => Promise<void>;

  constructor(args: CustomCallbackArgs, yieldEvery: YieldEveryOptions = 'auto') {
    super();
    if (args === null || typeof args !== 'object') throw new ValueError(`CustomCallback: expected an object of hook functions, got ${args === null ? 'null' : typeof args}`);
    for (const [k, v] of Object.entries(args)) {
      if (v !== undefined && v !== null && typeof v !== 'function') throw new ValueError(`CustomCallback: '${k}' must be a function, got ${typeof v}`);
    }
    const every = yieldEvery === 'auto' ? AUTO_YIELD_MS : yieldEvery;
    if (!(every === 'batch' || every === 'epoch' || every === 'never' || (typeof every === 'number' && every >= 0))) {
      throw new ValueError(`CustomCallback: 'yieldEvery' must be 'auto', 'batch', 'epoch', 'never' or a number of ms >= 0, got ${JSON.stringify(yieldEvery)}`);
    }
    if (every === 'never' && args.onYield) throw new ValueError("CustomCallback: yieldEvery is 'never' but an onYield callback was given");
    this.args = args;
    this.yieldEvery = every;
    this.now = args.nowFunc ?? (() => performance.now());
    this.nextFrameFunc = args.nextFrameFunc ?? nextFrame;
    // the interval counts from construction (tfjs's debounce starts its clock there)
    this.lastYield = this.now();
  }

  async onTrainBegin(logs?: Logs): Promise<void> {
    await this.args.onTrainBegin?.(logs);
  }
  async onTrainEnd(logs?: Logs): Promise<void> {
    await this.args.onTrainEnd?.(logs);
  }
  async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    this.currentEpoch = epoch;
    await this.args.onEpochBegin?.(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    await Promise.all([this.args.onEpochEnd?.(epoch, logs), this.yieldEvery === 'epoch' ? this.nextFrameFunc() : undefined]);
  }
  async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    await this.args.onBatchBegin?.(batch, logs);
  }
  async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    const pending: unknown[] = [this.args.onBatchEnd?.(batch, logs)];
    if (this.yieldEvery === 'batch') pending.push(this.nextFrameFunc());
    else if (typeof this.yieldEvery === 'number') {
      // at most one yield (and onYield call) per interval
      const t = this.now();
      if (t - this.lastYield >= this.yieldEvery) {
        this.lastYield = t;
        pending.push(this.args.onYield?.(this.currentEpoch, batch, logs), this.nextFrameFunc());
      }
    }
    await Promise.all(pending);
  }
}
