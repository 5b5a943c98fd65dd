// EarlyStopping: stops fit() when a monitored value stops improving; optionally restores the best epoch's weights.
import { ValueError } from '../errors';
import { dispose, keep } from '../memory';
import { clone } from '../ops/reshape';
import { noGrad } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { Callback } from './callback';
import type { Logs } from './types';

export type MonitorMode = 'auto' | 'min' | 'max';

export interface EarlyStoppingArgs {
  /** Log key to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'auto' (default) maximizes keys containing 'acc', 'precision', 'recall' or 'f1' and minimizes the rest. */
  mode?: MonitorMode;
  /** Value to beat before anything counts as an improvement. */
  baseline?: number;
  /** Put the best epoch's weights back when training stops (default false). */
  restoreBestWeights?: boolean;
  verbose?: number;
}

/** Whether larger is better for a log key under `mode`. */
export function maximizes(monitor: string, mode: MonitorMode): boolean {
  if (mode === 'max') return true;
  if (mode === 'min') return false;
  return /acc|precision|recall|f1|auc/.test(monitor);
}

export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  private readonly baseline: number | undefined;
  private readonly maximize: boolean;
  private readonly verbose: number;
  private best = NaN;
  private wait = 0;
  private bestWeights: Tensor[] | null = null;
  /** The epoch training stopped at (0 when it ran to the end). */
  stoppedEpoch = 0;
  /** The best epoch seen. */
  bestEpoch = 0;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new ValueError(`earlyStopping: 'patience' must be an integer >= 0, got ${args.patience}`);
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.baseline = args.baseline;
    this.maximize = maximizes(this.monitor, args.mode ?? 'auto');
    this.verbose = args.verbose ?? 0;
  }

  private improved(value: number, reference: number): boolean {
    if (Number.isNaN(reference)) return true;
    return this.maximize ? value - this.minDelta > reference : value + this.minDelta < reference;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.baseline ?? NaN;
    this.releaseBest();
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const value = logs[this.monitor];
    if (typeof value !== 'number') {
      // Keras warns and carries on when the monitored key is missing.
      process.emitWarning(`EarlyStopping: '${this.monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')})`);
      return;
    }
    if (this.improved(value, this.best)) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights && this.model) {
        this.releaseBest();
        // A snapshot: getWeights gives the live weight tensors, which the next steps overwrite.
        this.bestWeights = noGrad(() => this.model!.getWeights().map((w) => keep(clone(w))));
      }
      return;
    }
    this.wait++;
    if (this.wait >= this.patience && epoch > 0 && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights && this.model) {
      if (this.verbose > 0) process.stdout.write(`EarlyStopping: restoring the weights of epoch ${this.bestEpoch + 1}\n`);
      this.model.setWeights(this.bestWeights);
    }
    if (this.stoppedEpoch > 0 && this.verbose > 0) process.stdout.write(`Epoch ${this.stoppedEpoch + 1}: early stopping\n`);
    this.releaseBest();
  }

  private releaseBest(): void {
    if (this.bestWeights) dispose(this.bestWeights);
    this.bestWeights = null;
  }
}
