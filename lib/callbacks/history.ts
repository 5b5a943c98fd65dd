// History: the per-epoch logs of a fit() run (what fit() resolves to), as tfjs' History.
import { Callback } from './callback';
import type { Logs } from './types';

export class History extends Callback {
  override readonly lagTolerant = true;
  /** Epoch indices, in order. */
  readonly epoch: number[] = [];
  /** Log key -> one value per epoch ('loss', 'acc', 'val_loss', ...). */
  readonly history: Record<string, number[]> = {};
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
