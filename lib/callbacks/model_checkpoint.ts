// ModelCheckpoint: saves the model at the end of epochs (every epoch, or only when a monitored value improves).
import { Callback } from './callback';
import { maximizes, type MonitorMode } from './early_stopping';
import type { Logs, TrainingModel } from './types';

export interface ModelCheckpointArgs {
  /**
   * Where to save: a path template ('{epoch}' and log keys such as '{val_loss}' are filled in), handed to
   * `model.save(path)`; or a function that does the saving itself.
   */
  filepath?: string;
  save?: (model: TrainingModel, epoch: number, logs: Logs) => void | Promise<void>;
  monitor?: string;
  /** Save only when `monitor` improves (default false: every epoch). */
  saveBestOnly?: boolean;
  mode?: MonitorMode;
  verbose?: number;
}

export class ModelCheckpoint extends Callback {
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  private readonly maximize: boolean;
  private best = NaN;
  /** Paths (or epoch numbers for a save function) written so far. */
  readonly saved: (string | number)[] = [];

  constructor(private readonly args: ModelCheckpointArgs) {
    super();
    if (!args.filepath && !args.save) throw new TypeError("ModelCheckpoint: give 'filepath' or a 'save' function");
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.maximize = maximizes(this.monitor, args.mode ?? 'auto');
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.model) return;
    if (this.saveBestOnly) {
      const v = logs[this.monitor];
      if (typeof v !== 'number') return;
      const better = Number.isNaN(this.best) || (this.maximize ? v > this.best : v < this.best);
      if (!better) return;
      this.best = v;
    }
    if (this.args.save) {
      await this.args.save(this.model, epoch, logs);
      this.saved.push(epoch);
      return;
    }
    const path = this.args.filepath!.replace(/\{(\w+)(?::[^}]*)?\}/g, (m, key: string) =>
      key === 'epoch' ? String(epoch + 1) : typeof logs[key] === 'number' ? logs[key].toFixed(4) : m,
    );
    const saver = (this.model as TrainingModel & { save?: (p: string) => Promise<unknown> }).save;
    if (typeof saver !== 'function') throw new TypeError('ModelCheckpoint: this model has no save(path); pass a save function instead');
    await saver.call(this.model, path);
    this.saved.push(path);
    if ((this.args.verbose ?? 0) > 0) process.stdout.write(`Epoch ${epoch + 1}: saved the model to ${path}\n`);
  }
}
