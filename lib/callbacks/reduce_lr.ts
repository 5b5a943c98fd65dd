// ReduceLROnPlateau: multiplies the optimizer's learning rate by `factor` when a monitored value stops improving.
import { ValueError } from '../errors';
import { Callback } from './callback';
import { maximizes, type MonitorMode } from './early_stopping';
import type { Logs } from './types';

export interface ReduceLROnPlateauArgs {
  monitor?: string;
  /** New rate = rate * factor (default 0.1). */
  factor?: number;
  /** Epochs without improvement before a reduction (default 10). */
  patience?: number;
  mode?: MonitorMode;
  /** Improvement threshold (default 1e-4, Keras' min_delta). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the rate (default 0). */
  minLr?: number;
  verbose?: number;
}

export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  private readonly maximize: boolean;
  private readonly verbose: number;
  private best = NaN;
  private wait = 0;
  private cooldownLeft = 0;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) throw new ValueError(`reduceLROnPlateau: 'factor' must be in (0, 1), got ${this.factor}`);
    this.patience = args.patience ?? 10;
    this.minDelta = args.minDelta ?? 1e-4;
    this.cooldown = args.cooldown ?? 0;
    this.minLr = args.minLr ?? 0;
    this.maximize = maximizes(this.monitor, args.mode ?? 'auto');
    this.verbose = args.verbose ?? 0;
  }

  onTrainBegin(): void {
    this.best = NaN;
    this.wait = 0;
    this.cooldownLeft = 0;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const value = logs[this.monitor];
    const opt = this.model?.optimizer;
    if (typeof value !== 'number' || !opt) return;
    if (this.cooldownLeft > 0) this.cooldownLeft--;
    const better = Number.isNaN(this.best) || (this.maximize ? value > this.best + this.minDelta : value < this.best - this.minDelta);
    if (better) {
      this.best = value;
      this.wait = 0;
      return;
    }
    if (this.cooldownLeft > 0) return;
    if (++this.wait >= this.patience) {
      const lr = opt.currentLearningRate;
      if (typeof opt.learningRate !== 'number') {
        process.emitWarning('ReduceLROnPlateau: the optimizer uses a learning-rate schedule; it is left unchanged');
        return;
      }
      const next = Math.max(lr * this.factor, this.minLr);
      if (next < lr) {
        opt.learningRate = next;
        if (this.verbose > 0) process.stdout.write(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}\n`);
        this.cooldownLeft = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
